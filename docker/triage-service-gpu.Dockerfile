# The triage service on an NVIDIA GPU. Build with the CUDA ONNX Runtime first: ./mvnw -B -Pgpu package -DskipTests
#   docker build -f docker/triage-service-gpu.Dockerfile -t lesion-triage/triage-service:0.1.0-gpu .
# ONNX Runtime 1.29's CUDA provider needs CUDA 12 and cuDNN 9 in the image.
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /deployments
COPY services/triage/target/quarkus-app/lib/ lib/
COPY services/triage/target/quarkus-app/*.jar ./
COPY services/triage/target/quarkus-app/app/ app/
COPY services/triage/target/quarkus-app/quarkus/ quarkus/
COPY models/ models/
COPY services/triage/src/main/rescore/logging.properties rescore/logging.properties
RUN mkdir -p rescore-jobs && chown 185 rescore-jobs
ENV TRIAGE_MODEL_DIR=/deployments/models/triagenet/2.0.0 \
    TRIAGE_RESCORE_MODEL_ROOT=/deployments/models \
    TRIAGE_RESCORE_WORK_DIR=/deployments/rescore-jobs \
    TRIAGE_MODEL_DEVICE=cuda \
    TRIAGE_BATCH_MAX_SIZE=128 \
    TRIAGE_BATCH_MAX_DELAY=20ms \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
