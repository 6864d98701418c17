package io.latchkey.hal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The hardware abstraction: interfaces, decoders and simulated twins, below every other module.
 * The classes are this module's main classes only, read from its build output.
 */
class HalArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(location -> location.contains("/hal/target/classes/"))
            .importPackages("io.latchkey.hal");

    @Test
    void featurePackages_dependOnEachOther_inOneDirectionOnly() {
        slices().matching("io.latchkey.hal.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void hal_neverUsesTheAgentTheBackendTheSimulatorOrTheInstaller() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.latchkey.agent..", "io.latchkey.cloud..", "io.latchkey.simulator..", "io.latchkey.provisioning..")
                .because("hal is the bottom layer of the device side").check(MAIN);
    }

    @Test
    void hal_carriesNoBoardDrivers() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("com.pi4j..", "com.fazecast..")
                .because("Pi4J and serial drivers live in hal-drivers, so the backend and the decoders never load them").check(MAIN);
    }
}
