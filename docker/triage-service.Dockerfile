# The triage service on the CPU. Build the application first: ./mvnw -B package -DskipTests
#   docker build -f docker/triage-service.Dockerfile -t lesion-triage/triage-service:0.1.0 .
FROM eclipse-temurin:17-jre
WORKDIR /deployments
COPY services/triage/target/quarkus-app/lib/ lib/
COPY services/triage/target/quarkus-app/*.jar ./
COPY services/triage/target/quarkus-app/app/ app/
COPY services/triage/target/quarkus-app/quarkus/ quarkus/
COPY models/ models/
COPY services/triage/src/main/rescore/logging.properties rescore/logging.properties
# Re-score jobs (POST /rescore) keep plan and state here; mount a volume to resume them across restarts.
RUN mkdir -p rescore-jobs && chown 185 rescore-jobs
ENV TRIAGE_MODEL_DIR=/deployments/models/triagenet/2.0.0 \
    TRIAGE_RESCORE_MODEL_ROOT=/deployments/models \
    TRIAGE_RESCORE_WORK_DIR=/deployments/rescore-jobs \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
USER 185
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
