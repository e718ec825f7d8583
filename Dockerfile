# Chokepoint distribution image: build with Maven, run on a JRE 17.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q install -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /opt/chokepoint
COPY --from=build /src/modules/cli/target/chokepoint-cli.jar ./chokepoint-cli.jar
COPY --from=build /src/modules/cli/target/lib ./lib
RUN useradd --system --uid 10001 chokepoint && mkdir -p /var/lib/chokepoint && chown chokepoint /var/lib/chokepoint
USER chokepoint
ENTRYPOINT ["java", "-jar", "/opt/chokepoint/chokepoint-cli.jar"]
CMD ["--help"]
