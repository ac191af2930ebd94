package io.sandbox.launcher.postgres;

import io.sandbox.launcher.LauncherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user PostgreSQL runs as. PostgreSQL refuses to run as root, so when the launcher is root the server
 * and initdb run as the unprivileged user {@code nobody} (via {@code setpriv}, else {@code runuser}), and
 * the directories they use are handed to that user. Otherwise they run as the current user.
 */
final class RunAs {

    static final String UNPRIVILEGED_USER = "nobody";

    private static final RunAs CURRENT_USER = new RunAs(false, false, -1, -1, List.of());

    private final boolean switchesUser;
    private final boolean wrapperStays;
    private final int uid;
    private final int gid;
    private final List<String> prefix;

    private RunAs(boolean switchesUser, boolean wrapperStays, int uid, int gid, List<String> prefix) {
        this.switchesUser = switchesUser;
        this.wrapperStays = wrapperStays;
        this.uid = uid;
        this.gid = gid;
        this.prefix = prefix;
    }

    /** How to run PostgreSQL from this process: as itself, or as {@code nobody} when this process is root. */
    static RunAs forThisProcess() {
        if (!isRoot()) {
            return CURRENT_USER;
        }
        int uid = numericId("-u");
        int gid = numericId("-g");
        Optional<Path> setpriv = Exec.onPath("setpriv");
        if (setpriv.isPresent()) {
            return new RunAs(true, false, uid, gid, List.of(setpriv.get().toString(),
                    "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
        }
        return viaRunuser(uid, gid);
    }

    /** As root: runs commands as {@code nobody} through {@code runuser}, which stays as their parent. */
    static RunAs viaRunuser() {
        return viaRunuser(numericId("-u"), numericId("-g"));
    }

    private static RunAs viaRunuser(int uid, int gid) {
        Optional<Path> runuser = Exec.onPath("runuser");
        if (runuser.isPresent()) {
            return new RunAs(true, true, uid, gid, List.of(runuser.get().toString(), "-u", UNPRIVILEGED_USER, "--"));
        }
        throw new LauncherException("PostgreSQL refuses to run as root, and neither setpriv nor runuser (util-linux) is"
                + " installed to run it as user " + UNPRIVILEGED_USER + ". Install util-linux, or run the launcher as a normal user.");
    }

    /** True when this process runs as root (effective uid 0). */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return "0".equals(ids.length > 1 ? ids[1] : ids[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // No procfs (macOS): fall back on the user name.
        }
        return "root".equals(System.getProperty("user.name"));
    }

    /** True when PostgreSQL runs as another user than this process. */
    boolean switchesUser() {
        return switchesUser;
    }

    /**
     * True when the started process is a wrapper ({@code runuser}) that forks the command instead of becoming
     * it; such a wrapper does not pass SIGINT on, so PostgreSQL must be signalled itself.
     */
    boolean wrapperStays() {
        return wrapperStays;
    }

    /** {@code command}, prefixed so that it runs as this user. */
    List<String> command(List<String> command) {
        if (prefix.isEmpty()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(prefix);
        wrapped.addAll(command);
        return wrapped;
    }

    /** Environment added to PostgreSQL's own: a locale that always exists. */
    Map<String, String> environment() {
        return Map.of("LC_ALL", "C");
    }

    /** Hands {@code path} (recursively if asked) to this user; nothing to do when the user is not switched. */
    void own(Path path, boolean recursive) throws IOException {
        if (switchesUser) {
            FileTrees.chown(path, uid, gid, recursive);
        }
    }

    /** True when {@code path} itself belongs to this user (always true when the user is not switched). */
    boolean owns(Path path) throws IOException {
        return !switchesUser || FileTrees.ownerUid(path) == uid;
    }

    /**
     * The first directory among {@code dir} (if {@code includeSelf}) and its ancestors that this user may not
     * enter, or {@code null} if it may enter them all. Decided from the mode bits; an unswitched user always may.
     */
    Path firstClosedDirectory(Path dir, boolean includeSelf) throws IOException {
        if (!switchesUser) {
            return null;
        }
        Path real = dir.toRealPath();
        for (Path p = includeSelf ? real : real.getParent(); p != null; p = p.getParent()) {
            Map<String, Object> attributes = Files.readAttributes(p, "unix:mode,uid,gid");
            int mode = (Integer) attributes.get("mode");
            int searchBit = (Integer) attributes.get("uid") == uid ? 0100
                    : (Integer) attributes.get("gid") == gid ? 0010
                    : 0001;
            if ((mode & searchBit) == 0) {
                return p;
            }
        }
        return null;
    }

    String describe() {
        return switchesUser ? "user " + UNPRIVILEGED_USER + " (uid " + uid + ")" : "the current user";
    }

    private static int numericId(String flag) {
        try {
            Exec.Result result = Exec.run(List.of("id", flag, UNPRIVILEGED_USER), Duration.ofSeconds(10));
            if (result.ok()) {
                return Integer.parseInt(result.output().trim());
            }
            throw new LauncherException("PostgreSQL refuses to run as root, so the launcher runs it as user " + UNPRIVILEGED_USER
                    + ", but that user does not exist here (id: " + result.output() + "). Run the launcher as a normal user.");
        } catch (IOException | NumberFormatException e) {
            throw new LauncherException("Could not look up user " + UNPRIVILEGED_USER + " (needed because PostgreSQL refuses to run as root): "
                    + e.getMessage() + ". Run the launcher as a normal user.", e);
        }
    }
}
