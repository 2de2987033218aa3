package io.photopipe.worker.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.photopipe.worker.Worker;
import io.photopipe.worker.WorkerConfig;
import io.photopipe.worker.WorkerHandler;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The real worker handler, except that the marked photo ({@code Photos.jpeg(61, 41, 7)}) renders forever and ignores
 * interrupts, as native code does: for the local runtime's test of the zombie rule
 * ({@code local/runtime WorkerRecycleChildJvmIT}), run from {@code worker/target/test-classes} beside the worker jar.
 * Everything else, the environment's exit included, is the worker's own.
 */
public final class StuckHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final byte[] MARKED = Photos.jpeg(61, 41, 7);
    private static final WorkerHandler HANDLER = new WorkerHandler(Worker.create(WorkerConfig.fromEnv(System::getenv),
            DefaultCredentialsProvider.builder().build(), new SimpleMeterRegistry(), System.out,
            new Worker.Hooks(engine -> (photo, renditions) -> {
                if (Arrays.equals(photo, MARKED)) {
                    while (true) {
                        try {
                            TimeUnit.DAYS.sleep(1);
                        } catch (InterruptedException e) {
                            // not stopped by an interrupt
                        }
                    }
                }
                return engine.render(photo, renditions);
            }, Worker.Hooks.DEFAULT.recycle())));

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return HANDLER.handleRequest(event, context);
    }
}
