package io.chokepoint.alerts.delivery;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends each notification's webhook payload as one JSON line to a file (optionally fsync'd,
 * so "delivered" means on disk) or to standard output.
 */
public final class JsonLinesReceiver implements Receiver {

    private final String name;
    private final PrintStream stdout;
    private final FileChannel file;
    private final boolean fsync;
    private final String where;
    private final PayloadLinks links;

    private JsonLinesReceiver(String name, PrintStream stdout, FileChannel file, boolean fsync, String where, PayloadLinks links) {
        this.name = name;
        this.links = links;
        this.stdout = stdout;
        this.file = file;
        this.fsync = fsync;
        this.where = where;
    }

    public static JsonLinesReceiver stdout(String name, PrintStream out, PayloadLinks links) {
        return new JsonLinesReceiver(name, out, null, false, "standard output", links);
    }

    public static JsonLinesReceiver file(String name, Path path, boolean fsync, PayloadLinks links) {
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new JsonLinesReceiver(name, null, channel, fsync, path.toString(), links);
        } catch (IOException e) {
            throw new IllegalArgumentException("receiver '" + name + "': cannot open " + path + " for appending: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void deliver(Notification notification) throws DeliveryFailure {
        byte[] json = Payloads.webhook(notification, links);
        if (file == null) {
            stdout.write(json, 0, json.length);
            stdout.write('\n');
            stdout.flush();
            if (stdout.checkError()) {
                throw DeliveryFailure.retryable("cannot write to " + where, null);
            }
            return;
        }
        ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        try {
            while (line.hasRemaining()) {
                file.write(line);
            }
            if (fsync) {
                file.force(false);
            }
        } catch (IOException e) {
            throw DeliveryFailure.retryable("cannot append to " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // nothing left to deliver to it
            }
        }
    }
}
