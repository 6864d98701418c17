package io.latchkey.protocol;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * What crosses the wire between car and cloud: no I/O, no other Latchkey module.
 * The classes are this module's main classes only, read from its build output.
 */
class ProtocolArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(location -> location.contains("/protocol/target/classes/"))
            .importPackages("io.latchkey.protocol");

    @Test
    void featurePackages_dependOnEachOther_inOneDirectionOnly() {
        slices().matching("io.latchkey.protocol.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void protocol_usesNoOtherModule() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.latchkey.hal..", "io.latchkey.agent..", "io.latchkey.cloud..", "io.latchkey.simulator..", "io.latchkey.provisioning..")
                .because("both sides of the wire depend on protocol, never the other way").check(MAIN);
    }
}
