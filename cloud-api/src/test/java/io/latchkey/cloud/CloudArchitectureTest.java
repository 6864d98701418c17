package io.latchkey.cloud;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The backend's feature packages layer one way, as docs/architecture.md ("Layers", cloud-api) draws
 * them: each row may use the rows below it, never one above. The root package wires the application and
 * may see everything. The classes are this module's main classes only, read from its build output.
 */
class CloudArchitectureTest {
    private static final String ROOT = "io.latchkey.cloud";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(location -> location.contains("/cloud-api/target/classes/"))
            .importPackages(ROOT);

    /** Highest first, as in the document. */
    private static final List<List<String>> ROWS = List.of(
            List.of("fleet", "access", "admin", "web", "rental", "backup"),
            List.of("command", "trip", "key", "ota"),
            List.of("booking", "telemetry"),
            List.of("ownership", "device", "event"),
            List.of("account"),
            List.of("audit"),
            List.of("identity"),
            List.of("metrics", "mqtt", "http"),
            List.of("tenant", "car", "live"),
            List.of("store", "platform", "pki", "outbox", "pii", "secrets", "datadir"));

    @Test
    void featurePackages_dependOnEachOther_inOneDirectionOnly() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void eachRow_usesOnlyTheRowsBelowIt() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (int row = 0; row < ROWS.size(); row++) {
            layers = layers.layer(name(row)).definedBy(packages(ROWS.get(row)));
        }
        layers = layers.whereLayer(name(0)).mayNotBeAccessedByAnyLayer();
        for (int row = 1; row < ROWS.size(); row++) {
            String[] above = java.util.stream.IntStream.range(0, row).mapToObj(CloudArchitectureTest::name)
                    .toArray(String[]::new);
            layers = layers.whereLayer(name(row)).mayOnlyBeAccessedByLayers(above);
        }
        layers.check(MAIN);
    }

    @Test
    void everyFeaturePackage_hasItsPlaceInTheLayers() {
        Set<String> placed = ROWS.stream().flatMap(List::stream).collect(Collectors.toSet());
        Set<String> features = new TreeSet<>();
        for (JavaClass c : MAIN) {
            String pkg = c.getPackageName();
            if (pkg.startsWith(ROOT + ".")) {
                features.add(pkg.substring(ROOT.length() + 1).split("\\.")[0]);
            }
        }
        assertThat(features).as("feature packages of cloud-api; a new one is placed in ROWS and in docs/architecture.md")
                .isNotEmpty().isSubsetOf(placed);
    }

    @Test
    void backend_neverUsesDeviceSideModules() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "io.latchkey.hal..", "io.latchkey.agent..", "io.latchkey.simulator..", "io.latchkey.provisioning..")
                .because("the backend meets cars only over MQTT and HTTP").check(MAIN);
    }

    private static String name(int row) {
        return String.join("+", ROWS.get(row));
    }

    private static String[] packages(List<String> row) {
        return row.stream().map(p -> ROOT + "." + p + "..").toArray(String[]::new);
    }
}
