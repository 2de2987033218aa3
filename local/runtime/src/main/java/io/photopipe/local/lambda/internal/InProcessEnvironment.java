package io.photopipe.local.lambda.internal;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photopipe.local.lambda.FunctionConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An execution environment inside this JVM, for fast tests: the handler class is loaded from the function's jar in
 * its own class loader (its statics are per environment, as in Lambda), events are (de)serialized with Lambda's own
 * aws-lambda-java-serialization, and the handler gets a {@link Context}. Timeouts are reported but the handler's
 * thread can only be interrupted, not killed: use child JVMs where that matters.
 */
public final class InProcessEnvironment implements Environment {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FunctionConfig fn;
    private final String id;
    private final String region;
    private final EnvironmentLog log;
    private final URLClassLoader loader;
    private Duration pendingInit;
    private Handler handler;
    private InitError initError;
    private volatile boolean usable = true;

    private interface Handler {
        byte[] call(byte[] payload, Context context) throws Throwable;
    }

    private record InitError(String type, byte[] document) {
    }

    public InProcessEnvironment(FunctionConfig fn, String id, String region, java.nio.file.Path logDir) {
        this.fn = fn;
        this.id = id;
        this.region = region;
        this.log = EnvironmentLog.open(fn.name(), id, logDir);
        URL[] urls = fn.classpath().stream().map(p -> {
            try {
                return p.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(p.toString(), e);
            }
        }).toArray(URL[]::new);
        this.loader = new FunctionClassLoader(urls, InProcessEnvironment.class.getClassLoader());
        long t0 = System.nanoTime();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            this.handler = load();
        } catch (Throwable t) {
            // as the runtime client reports it: "Error loading class X" with the thrown type
            Throwable cause = t instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : t;
            this.initError = new InitError(cause.getClass().getName(), cause instanceof LinkageError
                    ? LambdaErrors.document(cause.getClass().getName(), "Error loading class " + fn.handlerClass())
                    : errorDocument(cause));
            this.usable = false;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        this.pendingInit = Duration.ofNanos(System.nanoTime() - t0);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean usable() {
        return usable;
    }

    @Override
    public Outcome invoke(String requestId, byte[] payload) {
        Duration init = pendingInit;
        pendingInit = null;
        if (initError != null) {
            return new Outcome(false, initError.type(), initError.document(), init, Duration.ZERO, false, false);
        }
        long timeoutMs = fn.timeoutSeconds() * 1000L;
        long deadline = System.currentTimeMillis() + timeoutMs;
        Context context = new LocalContext(requestId, fn, region, deadline, log);
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        long t0 = System.nanoTime();
        log.line("START RequestId: " + requestId + " Version: $LATEST");
        Thread worker = Thread.ofPlatform().name("lambda-" + id).daemon().start(() -> {
            Thread.currentThread().setContextClassLoader(loader);
            try {
                result.complete(handler.call(payload, context));
            } catch (Throwable t) {
                result.completeExceptionally(t instanceof InvocationTargetException ite && ite.getCause() != null
                        ? ite.getCause() : t);
            }
        });
        Outcome o;
        try {
            byte[] out = result.get(timeoutMs, TimeUnit.MILLISECONDS);
            o = new Outcome(true, null, out, init, Duration.ofNanos(System.nanoTime() - t0), false, false);
        } catch (TimeoutException e) {
            usable = false;
            worker.interrupt();
            o = new Outcome(false, "Sandbox.Timedout", LambdaErrors.timeout(requestId, fn.timeoutSeconds()), init,
                    Duration.ofMillis(timeoutMs), true, false);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            log.line("ERROR " + cause);
            o = new Outcome(false, cause.getClass().getName(), errorDocument(cause), init,
                    Duration.ofNanos(System.nanoTime() - t0), false, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            o = new Outcome(false, "Runtime.Unknown", LambdaErrors.document("Runtime.Unknown", "interrupted"), init,
                    Duration.ZERO, false, false);
        }
        log.line("END RequestId: " + requestId);
        log.line("REPORT RequestId: " + requestId + "\tDuration: " + o.duration().toMillis() + " ms"
                + (init == null ? "" : "\tInit Duration: " + init.toMillis() + " ms"));
        return o;
    }

    @Override
    public void close() {
        usable = false;
        log.close();
        try {
            loader.close();
        } catch (java.io.IOException e) {
            // nothing to do
        }
    }

    // ---- handler resolution, like the Java runtime's: RequestStreamHandler, RequestHandler<I,O>, or any public
    // method (I), (I, Context) or (InputStream, OutputStream, Context) named by the handler string.

    private Handler load() throws Exception {
        Class<?> cls = Class.forName(fn.handlerClass(), true, loader);
        Object instance = null;
        String name = fn.handlerMethod();
        Method target = null;
        for (Method m : cls.getMethods()) {
            if (m.getName().equals(name) && !m.isBridge() && !m.isSynthetic()
                    && (target == null || m.getParameterCount() > target.getParameterCount())) {
                target = m;
            }
        }
        if (target == null) {
            throw new NoSuchMethodException("no public method " + name + " in " + cls.getName());
        }
        if (!Modifier.isStatic(target.getModifiers())) {
            instance = cls.getDeclaredConstructor().newInstance();
        }
        final Object self = instance;
        final Method method = target;
        Class<?>[] params = method.getParameterTypes();
        if (params.length == 3 && params[0] == InputStream.class && params[1] == OutputStream.class) {
            return (payload, ctx) -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                method.invoke(self, new ByteArrayInputStream(payload), out, ctx);
                return out.toByteArray();
            };
        }
        if (params.length == 0 || params.length > 2) {
            throw new NoSuchMethodException(cls.getName() + "::" + name + " has an unsupported signature "
                    + Arrays.toString(params));
        }
        Type inType = method.getGenericParameterTypes()[0];
        Type outType = method.getGenericReturnType();
        PojoSerializer<Object> in = serializer(inType);
        PojoSerializer<Object> out = outType == void.class || outType == Void.class ? null : serializer(outType);
        boolean withContext = params.length == 2;
        return (payload, ctx) -> {
            Object input = in.fromJson(new ByteArrayInputStream(payload));
            Object output = withContext ? method.invoke(self, input, ctx) : method.invoke(self, input);
            if (out == null || output == null) {
                return "null".getBytes(StandardCharsets.UTF_8);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            out.toJson(output, bytes);
            return bytes.toByteArray();
        };
    }

    @SuppressWarnings("unchecked")
    private PojoSerializer<Object> serializer(Type type) {
        if (type instanceof Class<?> c && LambdaEventSerializers.isLambdaSupportedEvent(c.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(c, loader);
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    private static byte[] errorDocument(Throwable t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("errorMessage", String.valueOf(t.getMessage()));
        n.put("errorType", t.getClass().getName());
        var trace = n.putArray("stackTrace");
        for (StackTraceElement e : t.getStackTrace()) {
            trace.add(e.toString());
        }
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Child-first, so the function's own libraries win over ours, except Lambda's interfaces, events and
     * serialization, which the function shares with the runtime (as with the runtime's jars in Lambda).
     */
    private static final class FunctionClassLoader extends URLClassLoader {
        FunctionClassLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                    || name.startsWith("com.amazonaws.services.lambda.runtime.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        c = super.loadClass(name, false);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    /** Checks at compile time that the interfaces we dispatch on are the ones functions implement. */
    @SuppressWarnings("unused")
    private static final Class<?>[] HANDLER_TYPES = {RequestHandler.class, RequestStreamHandler.class};
}
