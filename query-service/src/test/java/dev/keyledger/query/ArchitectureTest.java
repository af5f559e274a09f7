package dev.keyledger.query;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Package boundaries of the query-service. */
@AnalyzeClasses(packages = "dev.keyledger.query", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule projectionsDoNotKnowTheReadApi = noClasses()
            .that()
            .resideInAnyPackage("..query.projection..", "..query.activekeys..", "..query.usage..", "..query.rotation..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "..query.apikey..",
                    "..query.audit..",
                    "..query.database..",
                    "..query.organizationusage..",
                    "..query.web..");

    @ArchTest
    static final ArchRule theReadApiDoesNotWriteProjections = noClasses()
            .that()
            .resideInAnyPackage(
                    "..query.apikey..", "..query.audit..", "..query.database..", "..query.organizationusage..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "..query.projection..", "..query.activekeys..", "..query.usage..", "..query.rotation..");

    @ArchTest
    static final ArchRule settingsAreConfigurationPropertiesNotValueAnnotations = noClasses()
            .should()
            .dependOnClassesThat()
            .haveFullyQualifiedName("org.springframework.beans.factory.annotation.Value");

    @ArchTest
    static final ArchRule theReadApiUsesNoJpa =
            noClasses().should().dependOnClassesThat().resideInAnyPackage("jakarta.persistence..");
}
