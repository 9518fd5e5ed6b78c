package io.sparkvae.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the project's main code (docs/DESIGN.md): {@code cli} on top; {@code pipeline},
 * {@code experiments}, {@code report}, {@code examples}; then {@code stages}; then {@code job}; then the library
 * packages; then {@code vae-model}. No package imports one above it, and no packages import each other in a cycle.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sparkvae");
    }

    @Test
    void noPackageImportsOneAboveIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy("io.sparkvae.cli..")
                .layer("commands").definedBy("io.sparkvae.pipeline..", "io.sparkvae.experiments..", "io.sparkvae.report..",
                        "io.sparkvae.examples..")
                .layer("stages").definedBy("io.sparkvae.stages..")
                .layer("job").definedBy("io.sparkvae.job..")
                .layer("library").definedBy("io.sparkvae.dataset..", "io.sparkvae.train..", "io.sparkvae.evaluate..",
                        "io.sparkvae.render..", "io.sparkvae.image..", "io.sparkvae.config..", "io.sparkvae.spark..",
                        "io.sparkvae.layout..", "io.sparkvae.ml..", "io.sparkvae.scoring..", "io.sparkvae.score..", "io.sparkvae.page..")
                .layer("model").definedBy("io.sparkvae.model..", "io.sparkvae.data..", "io.sparkvae.io..",
                        "io.sparkvae.provenance..", "io.sparkvae.onnx..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("commands").mayOnlyBeAccessedByLayers("cli", "commands")
                .whereLayer("stages").mayOnlyBeAccessedByLayers("cli", "commands")
                .whereLayer("job").mayOnlyBeAccessedByLayers("cli", "commands", "stages")
                .whereLayer("library").mayOnlyBeAccessedByLayers("cli", "commands", "stages", "job", "library")
                .check(classes);
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching("io.sparkvae.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyTheCommandLineUsesPicocli() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses().that().resideOutsideOfPackage("io.sparkvae.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .check(classes);
    }

    @Test
    void theModelKnowsNothingAboutSpark() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideInAnyPackage("io.sparkvae.model..", "io.sparkvae.data..", "io.sparkvae.io..", "io.sparkvae.provenance..",
                        "io.sparkvae.onnx..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "org.deeplearning4j.spark..")
                .check(classes);
    }
}
