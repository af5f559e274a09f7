package dev.keyledger.edge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Feature packages depend one way: {@code web} -> {@code decision} -> {@code keys},
 * {@code ratelimit}; {@code usage} stands alone. Only the application package wires them together.
 */
class PackageBoundariesTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.keyledger.edge");

    @Test
    void theTableKnowsNothingOfRequests() {
        noClasses()
                .that()
                .resideInAPackage("..edge.keys..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("..edge.decision..", "..edge.web..", "..edge.usage..", "..edge.ratelimit..")
                .check(classes);
    }

    @Test
    void theRateLimiterKnowsNothingOfKeysOrHttp() {
        noClasses()
                .that()
                .resideInAPackage("..edge.ratelimit..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("..edge.keys..", "..edge.decision..", "..edge.web..", "..edge.usage..")
                .check(classes);
    }

    @Test
    void theDecisionKnowsNothingOfHttpOrUsage() {
        noClasses()
                .that()
                .resideInAPackage("..edge.decision..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("..edge.web..", "..edge.usage..", "org.springframework.http..")
                .check(classes);
    }

    @Test
    void usageKnowsNothingOfTheOtherFeatures() {
        noClasses()
                .that()
                .resideInAPackage("..edge.usage..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("..edge.keys..", "..edge.decision..", "..edge.web..", "..edge.ratelimit..")
                .check(classes);
    }
}
