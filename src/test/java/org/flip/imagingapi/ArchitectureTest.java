package org.flip.imagingapi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.RestController;

/** The boundary of style.md: {@code xnat/} is the only door to XNAT. */
@AnalyzeClasses(packages = "org.flip.imagingapi", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule onlyXnatSpeaksHttpToXnat = noClasses()
            .that().resideOutsideOfPackage("..xnat..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework.web.reactive..", "reactor..", "io.netty..")
            .because("features reach XNAT only through the typed clients in xnat/");

    @ArchTest
    static final ArchRule xnatWireTypesStayInside = noClasses()
            .that().resideOutsideOfPackage("..xnat..")
            .should().dependOnClassesThat().haveSimpleNameEndingWith("Envelope")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.flip.imagingapi.xnat.XnatResponse")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.flip.imagingapi.xnat.XnatOperation")
            .because("XNAT's wire shapes stop inside xnat/");

    @ArchTest
    static final ArchRule xnatNeverImportsControllers = noClasses()
            .that().resideInAPackage("..xnat..")
            .should().dependOnClassesThat().haveSimpleNameEndingWith("Controller")
            .orShould().dependOnClassesThat().areAnnotatedWith(RestController.class);

    @ArchTest
    static final ArchRule noXmlMapperOutsideXnat = noClasses()
            .that().resideOutsideOfPackage("..xnat..")
            .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson.dataformat.xml..")
            .because("XML is only XNAT's format; our API is JSON");

    @ArchTest
    static final ArchRule controllersAreNotValidationProxies = noClasses()
            .that().areAnnotatedWith(RestController.class)
            .should().beAnnotatedWith(Validated.class)
            .because("Spring MVC validates constrained parameters itself (HandlerMethodValidationException, mapped "
                    + "by ProblemAdvice); a @Validated proxy would validate a second time on every request and "
                    + "throw ConstraintViolationException, which nothing maps to a 422");
}
