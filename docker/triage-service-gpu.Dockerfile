# The triage service on an NVIDIA GPU: the CUDA 12 + cuDNN 9 runtime that ONNX Runtime 1.29's CUDA provider needs,
# with the Temurin JRE 17 copied in from its own image (no package manager run at build time). Build the
# application with the CUDA ONNX Runtime first:
#   ./mvnw -B -Pgpu package -DskipTests -pl services/triage -am
#   docker build -f docker/triage-service-gpu.Dockerfile -t lesion-triage/triage-service:0.1.0-gpu .
# Bases pinned by digest (docker/README.md).
FROM eclipse-temurin:17-jre-noble@sha256:db4dd3e55dd374d87cf00eb784bd44d67900abc87da82080cbae055a22c8ac76 AS jre

FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04@sha256:ac55d124da4882b497f732d8dfd9a702d5447a5f29d08d56da6f64f0a1eb34bc
LABEL org.opencontainers.image.title="lesion-triage triage service (CUDA)" \
      org.opencontainers.image.description="Kafka Streams + ONNX Runtime triage of dermoscopic lesion images (NVIDIA GPU)"
# the Temurin image sets these too: a UTF-8 locale (Java 17 takes its default charset from it) and the JRE on PATH
ENV JAVA_HOME=/opt/java/openjdk \
    LANG=C.UTF-8
ENV PATH="/opt/java/openjdk/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
WORKDIR /deployments
COPY services/triage/target/quarkus-app/lib/ lib/
COPY services/triage/target/quarkus-app/*.jar ./
COPY services/triage/target/quarkus-app/app/ app/
COPY services/triage/target/quarkus-app/quarkus/ quarkus/
COPY models/ models/
COPY services/triage/src/main/rescore/logging.properties rescore/logging.properties
RUN mkdir -p rescore-jobs && chown 185:185 rescore-jobs
# device cuda fails fast without a GPU instead of falling back to the CPU unnoticed; GPUs pay with larger batches
ENV TRIAGE_MODEL_DIR=/deployments/models/triagenet/2.0.0 \
    TRIAGE_RESCORE_MODEL_ROOT=/deployments/models \
    TRIAGE_RESCORE_WORK_DIR=/deployments/rescore-jobs \
    TRIAGE_MODEL_DEVICE=cuda \
    TRIAGE_MODEL_INTRA_OP_THREADS=1 \
    TRIAGE_BATCH_MAX_SIZE=128 \
    TRIAGE_BATCH_MAX_DELAY=20ms \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
USER 185:185
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
