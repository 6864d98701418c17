package io.latchkey.cloud.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

class StoreConfigTest {
    @Test
    void fileAndAzure_areTheStoreTypes() {
        assertThat(new StoreConfig("file").azure()).isFalse();
        assertThat(new StoreConfig("azure").azure()).isTrue();
    }

    @Test
    void anyOtherStoreType_stopsTheStart_namingTheKey() {
        assertThatThrownBy(() -> new StoreConfig("s3")).isInstanceOf(ConfigurationException.class)
                .hasMessage("latchkey.store.type must be file or azure, got 's3'");
    }
}
