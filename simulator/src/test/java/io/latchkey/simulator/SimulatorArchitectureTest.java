package io.latchkey.simulator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The fleet twin.
 * The classes are this module's main classes only, read from its build output.
 */
class SimulatorArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(location -> location.contains("/simulator/target/classes/"))
            .importPackages("io.latchkey.simulator");

    @Test
    void featurePackages_dependOnEachOther_inOneDirectionOnly() {
        slices().matching("io.latchkey.simulator.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void simulator_neverUsesTheBackendInMainCode() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.latchkey.cloud..")
                .because("virtual cars and people meet the backend over MQTT and HTTP, like real ones").check(MAIN);
    }
}
