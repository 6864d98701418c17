package io.latchkey.hal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The real drivers (Pi4J GPIO, serial NMEA) and the hardware assembly, beside hal's interfaces.
 * The classes are this module's main classes only, read from its build output.
 */
class HalDriversArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(location -> location.contains("/hal-drivers/target/classes/"))
            .importPackages("io.latchkey.hal");

    @Test
    void featurePackages_dependOnEachOther_inOneDirectionOnly() {
        slices().matching("io.latchkey.hal.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void drivers_neverUseTheAgentTheBackendTheSimulatorOrTheInstaller() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.latchkey.agent..", "io.latchkey.cloud..", "io.latchkey.simulator..", "io.latchkey.provisioning..")
                .because("the agent and the installer tool both assemble hardware from here").check(MAIN);
    }
}
