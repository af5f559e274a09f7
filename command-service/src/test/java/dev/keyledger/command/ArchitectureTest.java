package dev.keyledger.command;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.axonframework.spring.stereotype.Aggregate;

/** Package boundaries of the management API: shared plumbing never reaches into features. */
@AnalyzeClasses(packages = "dev.keyledger.command", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Packages that own a part of the domain (plus its endpoints); HTTP plumbing lives in web. */
    private static final String[] FEATURES = {
        "..command.organization..",
        "..command.database..",
        "..command.apikey..",
        "..command.relay..",
        "..command.eventstore..",
        "..command.domain.."
    };

    /**
     * Domain rules live in the domain: features throw the domain's exceptions and use the value
     * types of contracts, never web's error types. Commands go through the dispatcher of the
     * {@code dispatch} package, which is not web either.
     */
    @ArchTest
    static final ArchRule featuresDoNotImportWeb = noClasses()
            .that()
            .resideInAnyPackage(FEATURES)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("..command.web..")
            .because("a domain rule must not depend on how HTTP reports it");

    @ArchTest
    static final ArchRule aggregatesKnowNoHttp = noClasses()
            .that()
            .areAnnotatedWith(Aggregate.class)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "..command.web..",
                    "..command.security..",
                    "org.springframework.web..",
                    "org.springframework.http..",
                    "jakarta.servlet..");

    @ArchTest
    static final ArchRule domainErrorsKnowNoFramework = noClasses()
            .that()
            .resideInAPackage("..command.domain..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..command..web..", "..command.security..", "org.springframework..", "jakarta..");

    @ArchTest
    static final ArchRule webIsSharedPlumbing = noClasses()
            .that()
            .resideInAPackage("..command.web..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "..command.organization..",
                    "..command.database..",
                    "..command.apikey..",
                    "..command.security..",
                    "..command.relay..");

    @ArchTest
    static final ArchRule securityKnowsNoFeature = noClasses()
            .that()
            .resideInAPackage("..command.security..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..command.organization..", "..command.database..", "..command.apikey..");

    @ArchTest
    static final ArchRule organizationsKnowNoDatabasesOrKeys = noClasses()
            .that()
            .resideInAPackage("..command.organization..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..command.database..", "..command.apikey..");

    @ArchTest
    static final ArchRule databasesKnowNoKeys = noClasses()
            .that()
            .resideInAPackage("..command.database..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("..command.apikey..");
}
