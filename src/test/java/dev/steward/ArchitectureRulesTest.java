package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The architecture rules are not vacuous: each fails on the kind of code it exists to keep out. */
class ArchitectureRulesTest {
    private final ClassFileImporter importer = new ClassFileImporter();

    @Test
    void anArrowThatPointsUpBreaksTheLayers() {
        JavaClasses upward = importer.importClasses(
                dev.steward.store.ArchitectureFixture.class, dev.steward.agent.TaskStatus.class);

        assertThat(ArchitectureTest.dependenciesPointDownOnly.evaluate(upward).hasViolation()).isTrue();
        assertThat(ArchitectureTest.storeKnowsNoPartAboveIt.evaluate(upward).hasViolation()).isTrue();
    }

    @Test
    void aCycleBetweenTwoPartsIsFound() {
        JavaClasses cycle = importer.importClasses(
                dev.steward.router.ArchitectureFixture.class, dev.steward.memory.ArchitectureFixture.class);

        assertThat(ArchitectureTest.noPackageCycles.evaluate(cycle).hasViolation()).isTrue();
    }

    @Test
    void thePartsAsTheyAreBreakNoRule() {
        JavaClasses downward = importer.importClasses(
                dev.steward.agent.TaskStatus.class, dev.steward.store.Database.class);

        assertThat(ArchitectureTest.dependenciesPointDownOnly.evaluate(downward).hasViolation()).isFalse();
        assertThat(ArchitectureTest.noPackageCycles.evaluate(downward).hasViolation()).isFalse();
    }
}
