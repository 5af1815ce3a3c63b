package io.meridian.client;

import io.meridian.registry.ServiceView;
import io.meridian.registry.durable.StateCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client's views on disk, one file per cluster and namespace in the snapshot directory, so that a process
 * started while the cluster is down can answer lookups. A file is written whole to a temporary file, forced to disk
 * and moved into place, so a reader sees the old snapshot or the new one, never part of one. Reading accepts only
 * the registry's model classes, and no array longer than {@link StateCodec#MOST_ELEMENTS}. Thread-safe for one
 * writer.
 */
final class SnapshotFile {

    private static final Logger LOG = Logger.getLogger(SnapshotFile.class.getName());
    private static final int FORMAT = 1;
    private static final ObjectInputFilter MODEL_ONLY = ObjectInputFilter.Config.createFilter(
            "maxdepth=16;maxarray=" + StateCodec.MOST_ELEMENTS + ";io.meridian.client.SnapshotFile$Contents;"
                    + "io.meridian.registry.*;java.util.*;java.lang.*;java.time.*;!*");

    private final Path file;

    SnapshotFile(Path directory, String clusterName, String namespace) {
        this.file = directory.resolve("meridian-" + clusterName + "-" + namespace + ".snapshot");
    }

    Path path() {
        return file;
    }

    /** The views of the last snapshot; empty if there is none or it cannot be read (which is logged). */
    Map<String, ServiceView> read() {
        try (InputStream in = Files.newInputStream(file); ObjectInputStream objects = new ObjectInputStream(in)) {
            objects.setObjectInputFilter(MODEL_ONLY);
            Contents contents = (Contents) objects.readObject();
            if (contents.format() != FORMAT) {
                LOG.warning("ignoring snapshot " + file + " of format " + contents.format());
                return Map.of();
            }
            return contents.views();
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            LOG.log(Level.WARNING, "ignoring unreadable snapshot " + file, e);
            return Map.of();
        }
    }

    /** Replaces the snapshot with these views. */
    void write(Map<String, ServiceView> views) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel);
                 ObjectOutputStream objects = new ObjectOutputStream(out)) {
                objects.writeObject(new Contents(FORMAT, new HashMap<>(views)));
                objects.flush();
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** What a snapshot file holds. */
    private record Contents(int format, HashMap<String, ServiceView> views) implements Serializable {
    }
}
