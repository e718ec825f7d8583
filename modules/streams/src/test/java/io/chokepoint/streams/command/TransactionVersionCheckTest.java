package io.chokepoint.streams.command;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionVersionCheckTest {

    @Test
    void transactions_v1_or_a_cluster_without_the_feature_get_no_warning() {
        assertThat(TransactionVersionCheck.warning((short) 1, "kafka:9092")).isEmpty();
        assertThat(TransactionVersionCheck.warning((short) 0, "kafka:9092")).isEmpty();
    }

    @Test
    void transactions_v2_get_a_warning_with_the_command_that_steps_the_cluster_down() {
        assertThat(TransactionVersionCheck.warning((short) 2, "kafka-1:9092,kafka-2:9092")).hasValueSatisfying(w -> assertThat(w)
                .contains("transaction.version=2")
                .contains("kafka-features.sh --bootstrap-server kafka-1:9092,kafka-2:9092 downgrade --feature transaction.version=1"));
    }
}
