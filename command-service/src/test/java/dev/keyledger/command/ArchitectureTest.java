package dev.keyledger.command;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Package boundaries of the management API: shared plumbing never reaches into features. */
@AnalyzeClasses(packages = "dev.keyledger.command", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

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
