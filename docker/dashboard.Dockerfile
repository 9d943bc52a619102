# The triage dashboard: Temurin JRE 17 + its Quarkus fast-jar. Build the application first:
#   ./mvnw -B package -DskipTests -pl services/dashboard -am
#   docker build -f docker/dashboard.Dockerfile -t lesion-triage-dashboard:0.1.0 .
# Base pinned by digest (docker/README.md).
FROM eclipse-temurin:17-jre-noble@sha256:db4dd3e55dd374d87cf00eb784bd44d67900abc87da82080cbae055a22c8ac76
LABEL org.opencontainers.image.title="lesion-triage dashboard" \
      org.opencontainers.image.description="The triage queue for clinicians and the operators' view"
WORKDIR /deployments
COPY services/dashboard/target/quarkus-app/lib/ lib/
COPY services/dashboard/target/quarkus-app/*.jar ./
COPY services/dashboard/target/quarkus-app/app/ app/
COPY services/dashboard/target/quarkus-app/quarkus/ quarkus/
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
EXPOSE 8090
USER 185:185
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
