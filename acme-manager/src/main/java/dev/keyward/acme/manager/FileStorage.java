package dev.keyward.acme.manager;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** {@link CertificateStorage#files(Path)}. */
final class FileStorage implements CertificateStorage {
    static final String TEMP_MARKER = ".tmp-";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path root;
    private final boolean posix;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Semaphore> locks = new ConcurrentHashMap<>();
    private final AtomicLong tokens = new AtomicLong();

    FileStorage(Path directory) throws IOException {
        this.root = Objects.requireNonNull(directory, "directory").toAbsolutePath();
        this.posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
        createDirectories(root);
    }

    @Override
    public Optional<byte[]> load(String key) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void store(String key, byte[] value, boolean secret) throws IOException {
        Path target = path(key);
        Path dir = target.getParent();
        createDirectories(dir);
        Path temp = dir.resolve(target.getFileName() + TEMP_MARKER + Long.toHexString(random.nextLong()));
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(secret ? SECRET : PUBLIC)}
                : new FileAttribute<?>[0];
        try {
            Files.createFile(temp, attributes);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(value);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + root + " cannot rename atomically", e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(dir);
    }

    @Override
    public void delete(String key) throws IOException {
        Path file = path(key);
        if (Files.deleteIfExists(file)) {
            forceDirectory(file.getParent());
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Path dir = path(prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.contains(TEMP_MARKER)) {
                    Files.deleteIfExists(entry); // left by a crash mid-write: never the current value
                } else if (Files.isRegularFile(entry)) {
                    keys.add(prefix + "/" + name);
                }
            }
        }
        Collections.sort(keys);
        return keys;
    }

    @Override
    public Optional<StorageLock> tryLock(String name) {
        Semaphore semaphore = locks.computeIfAbsent(checked(name), n -> new Semaphore(1));
        if (!semaphore.tryAcquire()) {
            return Optional.empty();
        }
        return Optional.of(new Held(name, tokens.incrementAndGet(), semaphore));
    }

    /** A lock of this process: held until closed; its writes are refused once it is closed. */
    private final class Held implements StorageLock {
        private final String name;
        private final long token;
        private final Semaphore semaphore;
        private boolean released;

        Held(String name, long token, Semaphore semaphore) {
            this.name = name;
            this.token = token;
            this.semaphore = semaphore;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long fencingToken() {
            return token;
        }

        @Override
        public synchronized void store(String key, byte[] value, boolean secret) throws IOException {
            held();
            FileStorage.this.store(key, value, secret);
        }

        @Override
        public synchronized void delete(String key) throws IOException {
            held();
            FileStorage.this.delete(key);
        }

        private void held() throws LockLostException {
            if (released) {
                throw new LockLostException(name, token, "it was released");
            }
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                semaphore.release();
            }
        }

        @Override
        public String toString() {
            return "StorageLock{" + name + ", token " + token + (released ? ", released" : "") + "}";
        }
    }

    private Path path(String key) {
        return root.resolve(checked(key));
    }

    private static String checked(String key) {
        Objects.requireNonNull(key, "key");
        if (!KEY.matcher(key).matches() || key.contains("..") || key.contains(TEMP_MARKER)) {
            throw new IllegalArgumentException("not a storage key: " + key);
        }
        return key;
    }

    private void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createDirectories(dir.getParent());
        try {
            if (posix) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can sync a directory; the rename itself is atomic
        }
    }

    @Override
    public String toString() {
        return "CertificateStorage.files(" + root + ")";
    }
}
