package io.latchkey.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The in-car program.
 * The classes are this module's main classes only, read from its build output.
 */
class AgentArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(location -> location.contains("/device-agent/target/classes/"))
            .importPackages("io.latchkey.agent");

    @Test
    void featurePackages_dependOnEachOther_inOneDirectionOnly() {
        slices().matching("io.latchkey.agent.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void agent_neverUsesTheBackendTheSimulatorOrTheInstaller() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.latchkey.cloud..", "io.latchkey.simulator..", "io.latchkey.provisioning..")
                .because("the car meets the cloud only over MQTT").check(MAIN);
    }
}
