package io.sparkvae.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The quick test loop ({@code mvn -Pquick test}) leaves out test classes tagged {@code spark} or {@code slow}; a unit
 * test class that starts Spark (it uses Spark's API or the helpers that start it) must carry one of those tags, or the
 * quick loop would start Spark after all.
 */
class TestTagsTest {

    @Test
    void unitTestsThatStartSparkAreTagged() {
        JavaClasses tests = new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("io.sparkvae");
        classes().that().haveSimpleNameEndingWith("Test").and().areTopLevelClasses()
                .should(new ArchCondition<JavaClass>("be tagged spark or slow when they start Spark") {
                    @Override
                    public void check(JavaClass test, ConditionEvents events) {
                        boolean startsSpark = test.getDirectDependenciesFromSelf().stream()
                                .map(d -> d.getTargetClass().getName())
                                .anyMatch(n -> n.startsWith("org.apache.spark.") || n.equals("io.sparkvae.testing.LocalSpark")
                                        || n.equals("io.sparkvae.testing.StageRuns") || n.equals("io.sparkvae.testing.LocalCluster"));
                        boolean tagged = test.tryGetAnnotationOfType(Tag.class)
                                .map(t -> t.value().equals("spark") || t.value().equals("slow")).orElse(false);
                        if (startsSpark && !tagged) {
                            events.add(SimpleConditionEvent.violated(test, test.getName() + " starts Spark but is not tagged spark"));
                        }
                    }
                })
                .check(tests);
    }
}
