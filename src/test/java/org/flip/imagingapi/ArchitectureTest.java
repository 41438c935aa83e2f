package org.flip.imagingapi;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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
            .should().dependOnClassesThat().haveFullyQualifiedName("org.flip.imagingapi.xnat.XnatResponse")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.flip.imagingapi.xnat.XnatOperation")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.flip.imagingapi.xnat.XnatBody")
            .because("XNAT's wire shapes stop inside xnat/");

    @ArchTest
    static final ArchRule topLevelPackagesAreFreeOfCycles = slices()
            .matching("org.flip.imagingapi.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule xnatIsAClientLibrary = noClasses()
            .that().resideInAPackage("org.flip.imagingapi.xnat..")
            .should().dependOnClassesThat().resideInAnyPackage("org.flip.imagingapi.project..",
                    "org.flip.imagingapi.user..", "org.flip.imagingapi.experiment..",
                    "org.flip.imagingapi.subscription..", "org.flip.imagingapi.health..", "org.flip.imagingapi.web..",
                    "org.flip.imagingapi.audit..")
            .because("xnat/ is a client library: features and web/ use it, never the other way round");

    @ArchTest
    static final ArchRule modelIsALeaf = noClasses()
            .that().resideInAPackage("org.flip.imagingapi.model..")
            .should().dependOnClassesThat(resideInAPackage("org.flip.imagingapi..")
                    .and(resideOutsideOfPackage("org.flip.imagingapi.model..")))
            .because("the records both xnat/ and the features use depend on neither");

    @ArchTest
    static final ArchRule controllersCallOnlyTheirFeature = noClasses()
            .that().areAnnotatedWith(RestController.class)
            .should().dependOnClassesThat().resideInAPackage("org.flip.imagingapi.xnat..")
            .because("a controller calls its feature's use-case service, which speaks to xnat/");

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
