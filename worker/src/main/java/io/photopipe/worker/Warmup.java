package io.photopipe.worker;

import io.photopipe.core.Rendition;
import io.photopipe.core.SettingsException;
import io.photopipe.worker.engine.ImageEngine;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Priming: renders small generated photos so the first real photo does not pay for loading and compiling the
 * decoders, encoders, colour management and fonts.
 *
 * <ul>
 *   <li><b>In init</b> ({@code PHOTOPIPE_PRIMING}): {@code init} renders a tiny photo; {@code full} also a 2400x1600
 *       one, as the SnapStart hook does; {@code off} nothing. {@code auto} (the default) picks by
 *       {@code AWS_LAMBDA_INITIALIZATION_TYPE}: {@code full} for {@code provisioned-concurrency} (Init runs before any
 *       request, so priming is free), {@code off} for {@code on-demand} and {@code snap-start}. Why off on demand:
 *       measured with the local child-JVM runtime, priming in Init added 0.3-0.8 s to Init and took nothing off the
 *       first photo, which the JIT makes slow whatever a generated photo warmed (README, "Cold starts"); with
 *       SnapStart the hook below primes instead, before the snapshot. Lambda sets the variable:
 *       <a href="https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime">defined
 *       runtime environment variables</a>.</li>
 *   <li><b>Before a SnapStart snapshot</b>: a {@code org.crac} {@link Resource} whose {@code beforeCheckpoint()}
 *       primes again, with a photo large enough to take the engine's reduced-decode and cascade paths, so the JIT's
 *       work is in the snapshot (<a href="https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-java.html">SnapStart
 *       runtime hooks</a>; <a href="https://docs.aws.amazon.com/lambda/latest/dg/snapstart-best-practices.html">priming</a>).
 *       Lambda calls it only for SnapStart; elsewhere (and on JDKs without CRaC) registering it does nothing.
 *       {@code afterRestore()} has nothing to do: init opens no connection and holds no secret or random seed
 *       that a restored copy would share.</li>
 * </ul>
 */
final class Warmup {
    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
    /** The environment variable: {@code auto} (default), {@code init}, {@code full} or {@code off}. */
    static final String PRIMING = "PHOTOPIPE_PRIMING";
    /** org.crac holds resources weakly: this keeps the hook alive as long as the class is loaded. */
    private static volatile Resource snapStartHook;

    /** Whether to prime while the function initialises. */
    enum Mode {
        INIT, FULL, OFF;

        /** {@code PHOTOPIPE_PRIMING}, {@code auto} resolved by {@code AWS_LAMBDA_INITIALIZATION_TYPE}. */
        static Mode fromEnv(Function<String, String> env) {
            String v = env.apply(PRIMING);
            return switch (v == null || v.isBlank() ? "auto" : v.strip().toLowerCase(Locale.ROOT)) {
                case "auto" -> "provisioned-concurrency".equals(env.apply("AWS_LAMBDA_INITIALIZATION_TYPE")) ? FULL : OFF;
                case "init" -> INIT;
                case "full" -> FULL;
                case "off" -> OFF;
                default -> throw new SettingsException(PRIMING, "'" + v + "' is not a priming mode; use auto, init, "
                        + "full or off");
            };
        }
    }

    private Warmup() {
    }

    /** Primes now if {@code mode} says so, and registers the SnapStart hook. */
    static void atInit(ImageEngine engine, List<Rendition> renditions, Mode mode) {
        if (mode != Mode.OFF) {
            prime(engine, renditions, 64, 48);
        }
        if (mode == Mode.FULL) {
            prime(engine, renditions, 2400, 1600);
        }
        Resource hook = new Resource() {
            @Override
            public void beforeCheckpoint(Context<? extends Resource> context) {
                if (mode != Mode.FULL) { // what init has not done yet
                    prime(engine, renditions, 64, 48);
                    prime(engine, renditions, 2400, 1600);
                }
            }

            @Override
            public void afterRestore(Context<? extends Resource> context) {
                // nothing to refresh: see the class comment
            }
        };
        snapStartHook = hook;
        try {
            Core.getGlobalContext().register(hook);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("could not register the SnapStart priming hook: {}", e.toString());
        }
    }

    /** One render of a generated {@code width x height} JPEG; false (logged) if it failed. */
    static boolean prime(ImageEngine engine, List<Rendition> renditions, int width, int height) {
        try {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
            g.fillRect(0, 0, width, height);
            g.dispose();
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            ImageIO.write(img, "jpeg", jpeg);
            return engine.render(jpeg.toByteArray(), renditions).outputs().size() == renditions.size();
        } catch (Exception | LinkageError e) {
            // Not fatal: the first photo will just be slower (and fail on its own if something is truly broken).
            LOG.warn("warm-up render failed: {}", e.toString());
            return false;
        }
    }

    /** The hook registered with org.crac (tests). */
    static Resource snapStartHook() {
        return snapStartHook;
    }
}
