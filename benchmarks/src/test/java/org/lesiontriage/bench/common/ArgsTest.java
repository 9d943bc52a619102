package org.lesiontriage.bench.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ArgsTest {

    @Test
    void typedValuesAndDefaults() {
        Args args = new Args(new String[] {"--batches", "1, 4,16", "--threads", "2", "--label", "max delay 50 ms"});
        assertThat(args.integers("batches", "1")).containsExactly(1, 4, 16);
        assertThat(args.integer("threads", 1)).isEqualTo(2);
        assertThat(args.text("label", "as served")).isEqualTo("max delay 50 ms");
        assertThat(args.decimal("measure-s", 2.0)).isEqualTo(2.0);
    }

    @Test
    void aNameWithoutValueIsAnError() {
        assertThatThrownBy(() -> new Args(new String[] {"--events"})).isInstanceOf(IllegalArgumentException.class);
    }
}
