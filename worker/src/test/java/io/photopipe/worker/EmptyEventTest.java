package io.photopipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.photopipe.worker.testing.WorkerHarness;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regression: with joda-time missing from the deployment jar, the Lambda runtime client deserialized every SQS event
 * without Records; the handler answered success and the event source mapping deleted whole batches unprocessed.
 */
class EmptyEventTest {

    @Test
    void anEventWithoutRecordsFailsTheInvocationInsteadOfAcknowledgingIt() {
        try (WorkerHarness h = WorkerHarness.create(Map.of())) {
            assertThatThrownBy(() -> h.handler.handleRequest(new SQSEvent(), null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("without Records");
        }
    }

    @Test
    void jodaTimeIsARuntimeDependencySoTheShadedJarKeepsIt() throws Exception {
        // The runtime client's SQSEvent deserializer loads this class from the function's classpath.
        assertThat(Class.forName("org.joda.time.DateTime")).isNotNull();
    }
}
