package io.photopipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReasonCodesTest {
    @Test
    void retriesExhaustedNamesTheLastCauseAndMatchesAsAFamily() {
        String code = ReasonCodes.retriesExhausted("s3-unavailable");
        assertThat(code).isEqualTo("retries-exhausted:s3-unavailable");
        assertThat(ReasonCodes.family(code)).isEqualTo("retries-exhausted");
        assertThat(ReasonCodes.lastCause(code)).hasValue("s3-unavailable");
        assertThat(ReasonCodes.lastCause("corrupt")).isEmpty();
        assertThat(ReasonCodes.matches(code, "retries-exhausted")).isTrue();
        assertThat(ReasonCodes.matches(code, code)).isTrue();
        assertThat(ReasonCodes.matches(code, "retries-exhausted:circuit-open")).isFalse();
        assertThat(ReasonCodes.matches("retries-exhaustedx", "retries-exhausted")).isFalse();
    }
}
