package io.photopipe.producer.internal;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads an iterator ahead on its own virtual thread, so that a slow source (a ListObjectsV2 page, an inventory file
 * download) overlaps with the work done on what it already returned, instead of stalling it. Errors of the source
 * surface from {@link #hasNext()}. {@link #close()} stops the reader.
 */
public final class Prefetch<T> implements Iterator<T>, AutoCloseable {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final Thread reader;
    private Object next;

    private record Failure(RuntimeException error) {
    }

    /**
     * @param source   the iterator to read ahead
     * @param capacity how many elements to hold at most
     */
    public Prefetch(Iterator<T> source, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.reader = Thread.ofVirtual().name("prefetch").start(() -> {
            try {
                while (source.hasNext()) {
                    queue.put(source.next());
                }
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                try {
                    queue.put(new Failure(e));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the source", e);
            }
        }
        if (next instanceof Failure(RuntimeException error)) {
            next = END; // report once, then behave as ended
            throw error;
        }
        return next != END;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T t = (T) next;
        next = null;
        return t;
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}
