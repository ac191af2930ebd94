package io.sandbox.dashboard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactsTest {

    @Test
    void aLifecycleCommitNamesTheChaincodeItsWriteSetDefines() {
        assertThat(Facts.deployed(Map.of("_lifecycle", List.of("namespaces/fields/shadow/Sequence",
                "namespaces/metadata/shadow")))).isEqualTo("shadow");
    }

    @Test
    void otherWriteSetsDeployNothing() {
        assertThat(Facts.deployed(null)).isNull();
        assertThat(Facts.deployed(Map.of("sandbox", List.of("namespaces/metadata/x")))).isNull();
        assertThat(Facts.deployed(Map.of("_lifecycle", List.of("namespaces/fields/shadow/Sequence")))).isNull();
    }
}
