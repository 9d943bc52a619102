# The triage service on the CPU: Temurin JRE 17 + the Quarkus fast-jar + models/. Build the application first:
#   ./mvnw -B package -DskipTests -pl services/triage -am
#   docker build -f docker/triage-service.Dockerfile -t lesion-triage/triage-service:0.1.0 .
# Base pinned by digest (docker/README.md says where the digest comes from and how to move it).
FROM eclipse-temurin:17-jre-noble@sha256:db4dd3e55dd374d87cf00eb784bd44d67900abc87da82080cbae055a22c8ac76
LABEL org.opencontainers.image.title="lesion-triage triage service" \
      org.opencontainers.image.description="Kafka Streams + ONNX Runtime triage of dermoscopic lesion images (CPU)"
WORKDIR /deployments
COPY services/triage/target/quarkus-app/lib/ lib/
COPY services/triage/target/quarkus-app/*.jar ./
COPY services/triage/target/quarkus-app/app/ app/
COPY services/triage/target/quarkus-app/quarkus/ quarkus/
COPY models/ models/
COPY services/triage/src/main/rescore/logging.properties rescore/logging.properties
# Re-score jobs started with POST /rescore keep plan and state here; mount a volume to resume them after a restart.
RUN mkdir -p rescore-jobs && chown 185:185 rescore-jobs
ENV TRIAGE_MODEL_DIR=/deployments/models/triagenet/2.0.0 \
    TRIAGE_RESCORE_MODEL_ROOT=/deployments/models \
    TRIAGE_RESCORE_WORK_DIR=/deployments/rescore-jobs \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
# Not root; the files above stay root's and read-only to the service.
USER 185:185
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
