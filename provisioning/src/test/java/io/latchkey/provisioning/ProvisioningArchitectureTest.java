package io.latchkey.provisioning;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The installer tool.
 * The classes are this module's main classes only, read from its build output.
 */
class ProvisioningArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(location -> location.contains("/provisioning/target/classes/"))
            .importPackages("io.latchkey.provisioning");

    @Test
    void featurePackages_dependOnEachOther_inOneDirectionOnly() {
        slices().matching("io.latchkey.provisioning.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void installer_neverUsesTheAgentTheBackendOrTheSimulator() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.latchkey.agent..", "io.latchkey.cloud..", "io.latchkey.simulator..")
                .because("the self-test runs on the device without the agent, from hal-drivers").check(MAIN);
    }
}
