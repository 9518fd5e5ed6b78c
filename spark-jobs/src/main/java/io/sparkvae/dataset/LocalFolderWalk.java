package io.sparkvae.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.fs.GlobFilter;

/**
 * What an image folder on the local file system holds, walked without following links: the files that can be read
 * as images, the files matching the filter that cannot (empty, FIFOs, devices, links to them or to nothing), and the
 * links that are not followed (to folders: a loop, or images counted twice; out of the folder: not part of it).
 */
final class LocalFolderWalk {

    /**
     * @param readable   ids ('/'-separated paths below the folder) of the non-empty regular files matching the filter
     * @param unreadable id to why it cannot be an example, for every other match of the filter
     * @param notFollowed id to why a link was not followed
     */
    record Result(TreeSet<String> readable, Map<String, String> unreadable, Map<String, String> notFollowed) {}

    private LocalFolderWalk() {
    }

    static Result walk(Path root, String glob) {
        GlobFilter filter = globFilter(glob);
        Path realRoot = real(root);
        Result result = new Result(new TreeSet<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String id = id(root, file);
                    boolean matches = filter.accept(new org.apache.hadoop.fs.Path(file.getFileName().toString()));
                    if (attrs.isSymbolicLink()) {
                        link(file, id, matches, realRoot, result);
                    } else if (matches) {
                        classify(id, attrs, "", result);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    result.unreadable().put(id(root, file), "cannot be read: " + e.getMessage());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return result;
    }

    private static void link(Path file, String id, boolean matches, Path realRoot, Result result) {
        Path target;
        BasicFileAttributes attrs;
        try {
            target = file.toRealPath();
            attrs = Files.readAttributes(target, BasicFileAttributes.class);
        } catch (IOException e) {
            if (matches) {
                result.unreadable().put(id, "a link to nothing readable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            }
            return;
        }
        if (attrs.isDirectory()) {
            result.notFollowed().put(id, real(file.getParent()).startsWith(target) ? "a link to a folder it is in (a loop)"
                    : target.startsWith(realRoot) ? "a link to a folder inside the image folder (its images are read there)"
                    : "a link to a folder outside the image folder");
        } else if (!target.startsWith(realRoot)) {
            if (matches && attrs.isRegularFile()) {
                result.notFollowed().put(id, "a link to a file outside the image folder");
            } else if (matches) {
                result.unreadable().put(id, "a link to " + target + ", not a regular file");
            }
        } else if (matches) {
            classify(id, attrs, "a link to ", result);
        }
    }

    private static void classify(String id, BasicFileAttributes attrs, String what, Result result) {
        if (!attrs.isRegularFile()) {
            result.unreadable().put(id, what + "not a regular file (a FIFO, socket or device)");
        } else if (attrs.size() == 0) {
            result.unreadable().put(id, what + "an empty file, not an image");
        } else {
            result.readable().add(id);
        }
    }

    private static String id(Path root, Path file) {
        List<String> parts = new ArrayList<>();
        root.relativize(file).forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    private static Path real(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + root, e);
        }
    }

    private static GlobFilter globFilter(String glob) {
        try {
            return new GlobFilter(glob);
        } catch (IOException e) {
            throw new io.sparkvae.io.BadInputException("data.image-folder.glob = '" + glob + "' is not a valid pattern: " + e.getMessage());
        }
    }
}
