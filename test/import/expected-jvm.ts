/**
 * Expected fingerprints of the Java/Kotlin fixture repositories (test/fixtures/repos), field by
 * field with evidence. Each value was checked by hand against the fixture's files and lines.
 */
import type { FingerprintView } from './describe-fingerprint.ts';

export const EXPECTED_JVM: Record<string, FingerprintView> = {
  springMaven: {
    services: {
      '.': {
        name: 'payments',
        language: '"java" @ pom.xml:1',
        framework: '"spring-boot" @ pom.xml:6',
        packageManager: '"maven" @ pom.xml:1',
        lockfile: 'null',
        port: '8081 @ src/main/resources/application.properties:1',
        dockerfile:
          '{"path":"Dockerfile","baseImage":"eclipse-temurin:21-jre","exposedPorts":[8081],"user":"1001","healthcheck":null} @ Dockerfile:1',
        build:
          '{"context":".","dockerfile":"Dockerfile","target":null,"args":{},"source":"dockerfile"} @ Dockerfile:1',
        startCommand: '"java -jar /app.jar" @ Dockerfile:5',
        healthEndpoint: '"/actuator/health" @ pom.xml:19',
        envVars: [
          '"DATABASE_URL" @ src/main/resources/application.properties:2',
          '"PAYMENTS_REGION" @ src/main/java/com/example/payments/PaymentsApplication.java:9',
        ],
        orm: '"jpa" @ pom.xml:23',
        migrations:
          '{"tool":"flyway","path":"src/main/resources/db/migration"} @ src/main/resources/db/migration/V1__init.sql:1,pom.xml:27',
        queues: [],
        tests:
          '{"framework":"junit","path":"src/test"} @ src/test/java/com/example/payments/PaymentsApplicationTests.java:1,pom.xml:31',
        coverageConfig: '"pom.xml" @ pom.xml:39',
      },
    },
    monorepoTool: 'null',
    ciConfigs: ['jenkins Jenkinsfile'],
    composeFiles: [],
    k8sManifests: [],
    helmCharts: [],
    gaps: [
      'undocumented-env-var . @ src/main/java/com/example/payments/PaymentsApplication.java:9,src/main/resources/application.properties:2',
    ],
  },
  springGradleKotlin: {
    services: {
      '.': {
        name: 'quotes',
        language: '"kotlin" @ build.gradle.kts:3',
        framework: '"spring-boot" @ build.gradle.kts:2',
        packageManager: '"gradle" @ build.gradle.kts:1',
        lockfile: 'null',
        port: '9090 @ src/main/resources/application.yml:2',
        dockerfile: 'null',
        build: 'null',
        startCommand: '"gradle bootRun" @ build.gradle.kts:2',
        healthEndpoint: '"/health" @ src/main/kotlin/com/example/quotes/QuotesApplication.kt:12',
        envVars: [
          '"KAFKA_BOOTSTRAP" @ src/main/resources/application.yml:5',
          '"QUOTES_MODE" @ src/main/kotlin/com/example/quotes/QuotesApplication.kt:13',
        ],
        orm: 'null',
        migrations: 'null',
        queues: ['"kafka" @ build.gradle.kts:8'],
        tests:
          '{"framework":"junit","path":"src/test"} @ src/test/kotlin/com/example/quotes/QuotesApplicationTests.kt:1,build.gradle.kts:9',
        coverageConfig: 'null',
      },
    },
    monorepoTool: 'null',
    ciConfigs: [],
    composeFiles: [],
    k8sManifests: [],
    helmCharts: [],
    gaps: [
      'no-ci - @ -',
      'no-dockerfile . @ build.gradle.kts:1',
      'undocumented-env-var . @ src/main/kotlin/com/example/quotes/QuotesApplication.kt:13,src/main/resources/application.yml:5',
    ],
  },
};
