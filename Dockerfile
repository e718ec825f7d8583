# Chokepoint image: the distribution (bin/chokepoint, lib/, the embedded schema registry) on a
# JRE 17. Every command works in it, `demo` included (embedded broker and registry inside the
# container):  docker build -t chokepoint:0.1.0 .  &&  docker run --rm -p 9095:9095 chokepoint:0.1.0 demo
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q package -DskipTests

FROM eclipse-temurin:17-jre
COPY --from=build /src/modules/cli/target/chokepoint /opt/chokepoint
RUN useradd --system --uid 10001 --home-dir /var/lib/chokepoint chokepoint \
 && mkdir -p /var/lib/chokepoint/state && chown -R chokepoint /var/lib/chokepoint
USER 10001
WORKDIR /var/lib/chokepoint
# 9095: streams (dashboard, query API, /metrics, /health/*); 9096: alerts (silences, /metrics, /health/*)
EXPOSE 9095 9096
ENTRYPOINT ["/opt/chokepoint/bin/chokepoint"]
CMD ["--help"]
