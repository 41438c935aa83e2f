package org.flip.imagingapi.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The emulator's in-memory XNAT model. Thread-safe: every method takes a read or write lock on one
 * {@link ReentrantReadWriteLock}; returned collections are immutable snapshots and the model types are records.
 *
 * <p>Tests may seed and inspect it directly; the HTTP layer uses the same methods. Mutators do not enforce
 * HTTP-level validation (ID syntax etc.); that is the HTTP handlers' job.
 */
public final class EmulatorState {

    /** A membership invitation XNAT would have e-mailed for an unknown user (PUT .../users/{g}/{u}). */
    public record Invitation(String project, ProjectGroup group, String invitee) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile long version;

    // projects
    private final Map<String, Project> projects = new LinkedHashMap<>();
    private final Map<String, String> aliasToProject = new HashMap<>();
    private final Map<String, Set<String>> bySecondaryId = new HashMap<>();
    private final Map<String, Set<String>> byName = new HashMap<>();
    private final Map<String, Set<String>> byLowerKey = new HashMap<>();
    private final Set<String> deletedProjectIds = new LinkedHashSet<>();
    private final Map<String, LinkedHashMap<String, ProjectGroup>> members = new HashMap<>();
    private final Map<String, Set<String>> projectsOfUser = new HashMap<>();
    private final List<Invitation> invitations = new ArrayList<>();
    // subjects / experiments
    private final Map<String, Subject> subjects = new HashMap<>();
    private final Map<String, LinkedHashMap<String, Subject>> subjectsByProject = new HashMap<>();
    private final Map<String, Experiment> experiments = new LinkedHashMap<>();
    private final Map<String, LinkedHashMap<String, Experiment>> experimentsByProject = new HashMap<>();
    private final Map<String, Set<String>> experimentIdsBySubject = new HashMap<>();
    private int subjectCounter;
    private int experimentCounter;
    // users
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, Set<String>> usernamesByEmail = new HashMap<>();
    private final Set<String> expiredPasswords = new HashSet<>();
    private int userCounter;
    // tokens
    private final Map<String, AliasToken> tokens = new LinkedHashMap<>();
    private long tokenCounter;
    private Duration aliasTokenTimeout = Duration.ofDays(2);
    // commands
    private final Map<Long, Command> commands = new LinkedHashMap<>();
    private final Map<Long, Long> commandOfWrapper = new HashMap<>();
    private final Set<Long> siteEnabledWrappers = new HashSet<>();
    private final Map<String, Set<Long>> projectEnabledWrappers = new HashMap<>();
    private final Map<Long, String> commandVisibility = new HashMap<>();
    private long commandCounter;
    private long wrapperCounter;
    // events
    private boolean eventServiceEnabled = true;
    private final Map<Long, Subscription> subscriptions = new LinkedHashMap<>();
    private long subscriptionCounter;
    // DQR
    private final Map<Long, QueuedRequest> queue = new LinkedHashMap<>();
    private long queueCounter;
    private long createEventCounter = 1000;

    EmulatorState() {
    }

    private <T> T read(Supplier<T> s) {
        lock.readLock().lock();
        try {
            return s.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T write(Supplier<T> s) {
        lock.writeLock().lock();
        try {
            version++;
            return s.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Incremented by every mutation except login bookkeeping; used to cache rendered listings. */
    long version() {
        return version;
    }

    private void writeRun(Runnable r) {
        write(() -> {
            r.run();
            return null;
        });
    }

    /** Runs several mutations atomically (e.g. bulk seeding). */
    public void atomically(Runnable r) {
        writeRun(r);
    }

    // ------------------------------------------------------------------ projects

    /** All projects in creation order (snapshot). */
    public List<Project> projects() {
        return read(() -> List.copyOf(projects.values()));
    }

    /** Number of projects. */
    public int projectCount() {
        return read(projects::size);
    }

    /** Exact (case-sensitive) lookup by ID or alias, like XNAT's URL lookup. */
    public Optional<Project> project(String idOrAlias) {
        return read(() -> Optional.ofNullable(findProject(idOrAlias)));
    }

    private Project findProject(String idOrAlias) {
        if (idOrAlias == null) {
            return null;
        }
        Project p = projects.get(idOrAlias);
        if (p == null) {
            String id = aliasToProject.get(idOrAlias);
            p = id == null ? null : projects.get(id);
        }
        return p;
    }

    /** Projects whose secondary_ID equals the value exactly (index lookup). */
    public List<Project> projectsBySecondaryId(String secondaryId) {
        return read(() -> lookup(bySecondaryId, secondaryId));
    }

    /** Projects whose name equals the value exactly (index lookup). */
    public List<Project> projectsByName(String name) {
        return read(() -> lookup(byName, name));
    }

    private List<Project> lookup(Map<String, Set<String>> index, String key) {
        Set<String> ids = index.get(key);
        if (ids == null) {
            return List.of();
        }
        List<Project> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(projects.get(id));
        }
        return out;
    }

    /** Adds a project (creator, if non-null, goes into Owners). Throws if the ID exists. */
    public Project addProject(Project p) {
        return write(() -> {
            if (projects.containsKey(p.id())) {
                throw new IllegalStateException("Project already exists: " + p.id());
            }
            putProject(p);
            if (p.insertUser() != null) {
                setMember(p.id(), p.insertUser(), ProjectGroup.OWNERS);
            }
            return p;
        });
    }

    /** Convenience: a project with REST defaults (protected, prearchive code 4), no owner. */
    public Project addProject(String id, String secondaryId, String name, String description) {
        return addProject(Project.of(id, secondaryId, name, description));
    }

    /** Convenience: a project with REST defaults owned by {@code ownerUsername}. */
    public Project addProject(String id, String secondaryId, String name, String description, String ownerUsername) {
        return addProject(Project.of(id, secondaryId, name, description).withInsertUser(ownerUsername));
    }

    /** Replaces an existing project (same ID). */
    public Project updateProject(Project p) {
        return write(() -> {
            Project old = projects.get(p.id());
            if (old == null) {
                throw new IllegalStateException("No project " + p.id());
            }
            unindex(old);
            putProject(p);
            return p;
        });
    }

    private void putProject(Project p) {
        projects.put(p.id(), p);
        for (String a : p.aliases()) {
            aliasToProject.put(a, p.id());
        }
        bySecondaryId.computeIfAbsent(p.secondaryId(), k -> new LinkedHashSet<>()).add(p.id());
        byName.computeIfAbsent(p.name(), k -> new LinkedHashSet<>()).add(p.id());
        for (String k : conflictKeys(p)) {
            byLowerKey.computeIfAbsent(k, x -> new HashSet<>()).add(p.id());
        }
        members.computeIfAbsent(p.id(), k -> new LinkedHashMap<>());
    }

    private void unindex(Project p) {
        for (String a : p.aliases()) {
            aliasToProject.remove(a);
        }
        removeFromIndex(bySecondaryId, p.secondaryId(), p.id());
        removeFromIndex(byName, p.name(), p.id());
        for (String k : conflictKeys(p)) {
            removeFromIndex(byLowerKey, k, p.id());
        }
    }

    private static void removeFromIndex(Map<String, Set<String>> index, String key, String id) {
        Set<String> s = index.get(key);
        if (s != null) {
            s.remove(id);
            if (s.isEmpty()) {
                index.remove(key);
            }
        }
    }

    private static Set<String> conflictKeys(Project p) {
        Set<String> keys = new HashSet<>();
        for (String s : allKeys(p)) {
            if (s != null) {
                keys.add(s.toLowerCase(Locale.ROOT));
            }
        }
        return keys;
    }

    private static List<String> allKeys(Project p) {
        List<String> l = new ArrayList<>();
        l.add(p.id());
        l.add(p.secondaryId());
        l.add(p.name());
        l.addAll(p.aliases());
        return l;
    }

    /**
     * XNAT's PUT-path cross-field uniqueness check (case-insensitive over ID, secondary_ID, name, aliases of
     * every <em>other</em> project). Returns one message per conflicting field, empty when there is none.
     */
    public List<String> conflicts(Project candidate) {
        return read(() -> {
            List<String> out = new ArrayList<>();
            check(out, "ID", candidate.id(), candidate.id());
            check(out, "Running Title", candidate.secondaryId(), candidate.id());
            check(out, "Title", candidate.name(), candidate.id());
            for (String a : candidate.aliases()) {
                check(out, "Alias", a, candidate.id());
            }
            return out;
        });
    }

    private void check(List<String> out, String label, String value, String selfId) {
        if (value == null) {
            return;
        }
        String k = value.toLowerCase(Locale.ROOT);
        Set<String> ids = byLowerKey.get(k);
        if (ids != null) {
            for (String id : ids) {
                if (!id.equals(selfId)) {
                    out.add("Invalid " + label + ": '" + k + "' is already being used.");
                    return;
                }
            }
        }
    }

    /** Sets the prearchive code; returns false when the project does not exist. */
    public boolean setPrearchiveCode(String projectId, int code) {
        return write(() -> {
            Project p = projects.get(projectId);
            if (p == null) {
                return false;
            }
            projects.put(p.id(), p.withPrearchiveCode(code));
            return true;
        });
    }

    /**
     * XNAT's project delete ({@code BaseXnatProjectdata.delete}): the project's own experiments go; each subject of
     * the project goes unless it still holds an experiment owned by another project. If any subject stays, so does
     * the project - row, remaining subjects, memberships, wrapper enablement - and its ID is not recorded as deleted
     * (XNAT still answers 200). Otherwise the project, its memberships and project-level wrapper enablement go and
     * its ID is recorded as deleted. Like XNAT, DQR queue rows and event subscriptions are never deleted.
     *
     * @return false when there is no such project
     */
    public boolean deleteProject(String projectId) {
        return write(() -> {
            Project p = projects.get(projectId);
            if (p == null) {
                return false;
            }
            LinkedHashMap<String, Experiment> exps = experimentsByProject.remove(projectId);
            if (exps != null) {
                for (Experiment e : exps.values()) {
                    experiments.remove(e.id());
                    unindexExperiment(e);
                }
            }
            LinkedHashMap<String, Subject> subs = subjectsByProject.get(projectId);
            boolean held = false;
            if (subs != null) {
                for (var it = subs.values().iterator(); it.hasNext(); ) {
                    Subject s = it.next();
                    if (experimentIdsBySubject.containsKey(s.id())) {
                        held = true; // preventSubjectDelete -> preventProjectDelete
                    } else {
                        subjects.remove(s.id());
                        it.remove();
                    }
                }
            }
            if (held) {
                return true;
            }
            projects.remove(projectId);
            unindex(p);
            subjectsByProject.remove(projectId);
            Map<String, ProjectGroup> m = members.remove(projectId);
            if (m != null) {
                for (String u : m.keySet()) {
                    Set<String> s = projectsOfUser.get(u);
                    if (s != null) {
                        s.remove(projectId);
                    }
                }
            }
            projectEnabledWrappers.remove(projectId);
            deletedProjectIds.add(projectId);
            return true;
        });
    }

    /** IDs of every project deleted so far (XNAT's project history). */
    public Set<String> deletedProjectIds() {
        return read(() -> Set.copyOf(deletedProjectIds));
    }

    // ------------------------------------------------------------------ membership

    /** Members of a project: username -> group display name ({@code Owners}/{@code Members}/...), all users. */
    public Map<String, String> projectMembers(String projectId) {
        return read(() -> {
            Map<String, String> out = new LinkedHashMap<>();
            LinkedHashMap<String, ProjectGroup> m = members.get(projectId);
            if (m != null) {
                m.forEach((u, g) -> out.put(u, g.displayName()));
            }
            return Collections.unmodifiableMap(out);
        });
    }

    /** The user's group in the project, if any. */
    public Optional<ProjectGroup> membership(String projectId, String username) {
        return read(() -> {
            LinkedHashMap<String, ProjectGroup> m = members.get(projectId);
            return Optional.ofNullable(m == null ? null : m.get(username));
        });
    }

    /** IDs of the projects the user belongs to (any group). */
    public Set<String> projectsOfUser(String username) {
        return read(() -> Set.copyOf(projectsOfUser.getOrDefault(username, Set.of())));
    }

    boolean isMemberUnlocked(String projectId, String username) {
        LinkedHashMap<String, ProjectGroup> m = members.get(projectId);
        return m != null && m.containsKey(username);
    }

    /** Puts the user into the group, removing them from the project's other groups (XNAT semantics). */
    public void addMember(String projectId, String username, ProjectGroup group) {
        writeRun(() -> setMember(projectId, username, group));
    }

    private void setMember(String projectId, String username, ProjectGroup group) {
        members.computeIfAbsent(projectId, k -> new LinkedHashMap<>()).put(username, group);
        projectsOfUser.computeIfAbsent(username, k -> new HashSet<>()).add(projectId);
    }

    /** Removes the user from that group of the project; returns false if they were not in it. */
    public boolean removeMember(String projectId, String username, ProjectGroup group) {
        return write(() -> {
            LinkedHashMap<String, ProjectGroup> m = members.get(projectId);
            if (m == null || m.get(username) != group) {
                return false;
            }
            m.remove(username);
            Set<String> s = projectsOfUser.get(username);
            if (s != null) {
                s.remove(projectId);
            }
            return true;
        });
    }

    /** Invitations that XNAT would have e-mailed to unknown users. */
    public List<Invitation> invitations() {
        return read(() -> List.copyOf(invitations));
    }

    void addInvitation(Invitation i) {
        writeRun(() -> invitations.add(i));
    }

    // ------------------------------------------------------------------ subjects & experiments

    /** Adds a subject with a generated {@code XNAT_Snnnnn} ID. */
    public Subject addSubject(String projectId, String label) {
        return write(() -> {
            Subject s = new Subject(pad("XNAT_S", ++subjectCounter, 5), projectId, label, Instant.now(),
                    "admin");
            putSubject(s);
            return s;
        });
    }

    /** Adds a fully specified subject. */
    public Subject addSubject(Subject s) {
        return write(() -> {
            putSubject(s);
            return s;
        });
    }

    private void putSubject(Subject s) {
        subjects.put(s.id(), s);
        subjectsByProject.computeIfAbsent(s.project(), k -> new LinkedHashMap<>()).put(s.id(), s);
    }

    /** Subjects owned by the project, in insertion order. */
    public List<Subject> subjects(String projectId) {
        return read(() -> {
            LinkedHashMap<String, Subject> m = subjectsByProject.get(projectId);
            return m == null ? List.of() : List.copyOf(m.values());
        });
    }

    public Optional<Subject> subject(String id) {
        return read(() -> Optional.ofNullable(subjects.get(id)));
    }

    /** Adds an experiment with a generated {@code XNAT_Ennnnn} ID and no scans. */
    public Experiment addExperiment(String projectId, String subjectId, String label, String xsiType, String date) {
        return addExperiment(projectId, subjectId, label, xsiType, date, null, List.of());
    }

    /** Adds an experiment with a generated {@code XNAT_Ennnnn} ID. */
    public Experiment addExperiment(String projectId, String subjectId, String label, String xsiType, String date,
                                    String uid, List<Scan> scans) {
        return write(() -> {
            Experiment e = new Experiment(pad("XNAT_E", ++experimentCounter, 5), label, projectId,
                    subjectId, date, xsiType, Instant.now(), "admin", uid, scans);
            putExperiment(e);
            return e;
        });
    }

    /** Adds a fully specified experiment. */
    public Experiment addExperiment(Experiment e) {
        return write(() -> {
            putExperiment(e);
            return e;
        });
    }

    private void putExperiment(Experiment e) {
        experiments.put(e.id(), e);
        experimentsByProject.computeIfAbsent(e.project(), k -> new LinkedHashMap<>()).put(e.id(), e);
        if (e.subjectId() != null) {
            experimentIdsBySubject.computeIfAbsent(e.subjectId(), k -> new HashSet<>()).add(e.id());
        }
    }

    private void unindexExperiment(Experiment e) {
        if (e.subjectId() != null) {
            Set<String> ids = experimentIdsBySubject.get(e.subjectId());
            if (ids != null) {
                ids.remove(e.id());
                if (ids.isEmpty()) {
                    experimentIdsBySubject.remove(e.subjectId());
                }
            }
        }
    }

    /** Experiments of the subject, whichever project owns them. */
    public List<Experiment> experimentsOfSubject(String subjectId) {
        return read(() -> experimentIdsBySubject.getOrDefault(subjectId, Set.of()).stream().map(experiments::get)
                .sorted(Comparator.comparing(Experiment::id)).toList());
    }

    /** Experiments owned by the project (all types). */
    public List<Experiment> experiments(String projectId) {
        return read(() -> {
            LinkedHashMap<String, Experiment> m = experimentsByProject.get(projectId);
            return m == null ? List.of() : List.copyOf(m.values());
        });
    }

    /** Every experiment in XNAT. */
    public List<Experiment> allExperiments() {
        return read(() -> List.copyOf(experiments.values()));
    }

    /** Lookup by experiment ID anywhere. */
    public Optional<Experiment> experiment(String id) {
        return read(() -> Optional.ofNullable(experiments.get(id)));
    }

    /** Lookup by label within the owning project (case-sensitive). */
    public Optional<Experiment> experimentByLabel(String projectId, String label) {
        return read(() -> {
            LinkedHashMap<String, Experiment> m = experimentsByProject.get(projectId);
            if (m != null) {
                for (Experiment e : m.values()) {
                    if (e.label().equals(label)) {
                        return Optional.of(e);
                    }
                }
            }
            return Optional.empty();
        });
    }

    // ------------------------------------------------------------------ users

    /** All users ordered by id (includes the built-in {@code guest}). */
    public List<User> users() {
        return read(() -> {
            List<User> l = new ArrayList<>(users.values());
            l.sort((a, b) -> Integer.compare(a.id(), b.id()));
            return l;
        });
    }

    public Optional<User> userByUsername(String username) {
        return read(() -> Optional.ofNullable(username == null ? null : users.get(username)));
    }

    /** Users with that e-mail (case-insensitive). */
    public List<User> usersByEmail(String email) {
        return read(() -> {
            Set<String> names = usernamesByEmail.get(email.toLowerCase(Locale.ROOT));
            if (names == null) {
                return List.of();
            }
            List<User> out = new ArrayList<>();
            for (String n : names) {
                out.add(users.get(n));
            }
            return out;
        });
    }

    public Optional<User> userById(int id) {
        return read(() -> users.values().stream().filter(u -> u.id() == id).findFirst());
    }

    /**
     * Adds a user; the id is assigned (any id in the argument is ignored). Throws if the username exists
     * (exact match, as XNAT's POST /xapi/users 409).
     */
    public User addUser(User u) {
        return write(() -> {
            if (users.containsKey(u.username())) {
                throw new IllegalStateException("User already exists: " + u.username());
            }
            User stored = new User(++userCounter, u.username(), u.email(), u.firstName(), u.lastName(), u.enabled(),
                    u.verified(), u.password(), u.lastModified(), u.lastSuccessfulLogin(), u.roles());
            putUser(stored);
            return stored;
        });
    }

    /** Convenience: enabled, verified user with lastModified = now and no login yet. */
    public User addUser(String username, String email, String firstName, String lastName, String password,
                        Set<String> roles) {
        return addUser(new User(0, username, email, firstName, lastName, true, true, password,
                System.currentTimeMillis(), null, roles));
    }

    /** Replaces a user (matched by username). Disabling deactivates the user's alias tokens, as in XNAT. */
    public User updateUser(User u) {
        return write(() -> {
            User old = users.get(u.username());
            if (old == null) {
                throw new IllegalStateException("No user " + u.username());
            }
            if (old.email() != null) {
                Set<String> s = usernamesByEmail.get(old.email().toLowerCase(Locale.ROOT));
                if (s != null) {
                    s.remove(old.username());
                }
            }
            putUser(u);
            if (old.enabled() && !u.enabled()) {
                tokens.replaceAll((k, t) -> t.username().equals(u.username()) ? t.withEnabled(false) : t);
            }
            return u;
        });
    }

    private void putUser(User u) {
        users.put(u.username(), u);
        if (u.email() != null) {
            usernamesByEmail.computeIfAbsent(u.email().toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>())
                    .add(u.username());
        }
    }

    void recordLogin(String username, long when) {
        // not a "version" change: no cached listing shows lastSuccessfulLogin
        lock.writeLock().lock();
        try {
            User u = users.get(username);
            if (u != null) {
                users.put(username, u.withLastSuccessfulLogin(when));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Marks the account's password as older than XNAT's {@code passwordExpirationInterval} (default 1 year), or as
     * fresh again. See {@link XnatEmulator#setPasswordExpired(String, boolean)}.
     */
    public void setPasswordExpired(String username, boolean expired) {
        writeRun(() -> {
            if (expired) {
                expiredPasswords.add(username);
            } else {
                expiredPasswords.remove(username);
            }
        });
    }

    /** True when the account's password is older than the expiry interval (whatever its roles). */
    public boolean isPasswordExpired(String username) {
        return read(() -> expiredPasswords.contains(username));
    }

    // ------------------------------------------------------------------ alias tokens

    /** Issues a reusable alias token for the user (UUID alias, 64-char alphanumeric secret, 2-day lifetime). */
    public AliasToken issueToken(String username) {
        return write(() -> {
            long now = System.currentTimeMillis();
            StringBuilder secret = new StringBuilder(64);
            for (int i = 0; i < 64; i++) {
                secret.append(ALNUM[RANDOM.nextInt(ALNUM.length)]);
            }
            AliasToken t = new AliasToken(++tokenCounter, UUID.randomUUID().toString(), secret.toString(), username,
                    false, true, now, now + aliasTokenTimeout.toMillis());
            tokens.put(t.alias(), t);
            return t;
        });
    }

    /** All alias tokens ever issued (including deactivated ones). */
    public List<AliasToken> aliasTokens() {
        return read(() -> List.copyOf(tokens.values()));
    }

    public Optional<AliasToken> aliasToken(String alias) {
        return read(() -> Optional.ofNullable(tokens.get(alias)));
    }

    void removeToken(String alias) {
        writeRun(() -> tokens.remove(alias));
    }

    public void setAliasTokenTimeout(Duration d) {
        writeRun(() -> aliasTokenTimeout = d);
    }

    // ------------------------------------------------------------------ commands & wrappers

    /** Registers a command with one wrapper (context {@code xnat:imageScanData}); returns both ids. */
    public Command.Ids addCommand(String name, String image, String wrapperName) {
        Command c = addCommand(name, image, "1.0", List.of(wrapperName), null);
        return new Command.Ids(c.id(), c.wrappers().get(0).id());
    }

    /** Registers a command with the given wrappers (ids assigned from separate counters). */
    public Command addCommand(String name, String image, String version, List<String> wrapperNames,
                              ObjectNode definition) {
        return write(() -> {
            List<Wrapper> ws = new ArrayList<>();
            for (String wn : wrapperNames) {
                ws.add(new Wrapper(++wrapperCounter, wn, wn + " wrapper", List.of("xnat:imageScanData")));
            }
            return putCommand(name, image, version, ws, definition);
        });
    }

    /** Registers a command with fully specified wrappers (their ids are replaced by fresh ones). */
    Command addCommandWithWrappers(String name, String image, String version, List<Wrapper> wrappers,
                                   ObjectNode definition) {
        return write(() -> {
            List<Wrapper> ws = new ArrayList<>();
            for (Wrapper w : wrappers) {
                ws.add(new Wrapper(++wrapperCounter, w.name(), w.description(), w.contexts()));
            }
            return putCommand(name, image, version, ws, definition);
        });
    }

    private Command putCommand(String name, String image, String version, List<Wrapper> ws, ObjectNode def) {
        Command c = new Command(++commandCounter, name, image, version, ws, def);
        commands.put(c.id(), c);
        for (Wrapper w : ws) {
            commandOfWrapper.put(w.id(), c.id());
        }
        return c;
    }

    /**
     * Sets a command's {@code visibility}: {@link Command#PUBLIC} (Container Service's default),
     * {@link Command#PROTECTED} or {@link Command#PRIVATE}. Without the ContainerManager role an account sees public
     * and protected commands, and a private one only when one of its wrappers is enabled in a project it can read.
     */
    public void setCommandVisibility(long commandId, String visibility) {
        writeRun(() -> {
            if (!commands.containsKey(commandId)) {
                throw new IllegalArgumentException("No command " + commandId);
            }
            commandVisibility.put(commandId, visibility);
        });
    }

    /** The command's visibility ({@link Command#PUBLIC} unless set). */
    public String commandVisibility(long commandId) {
        return read(() -> commandVisibility.getOrDefault(commandId, Command.PUBLIC));
    }

    /** Projects in which the wrapper is enabled at project level (the Container Service's "ENABLED" projects). */
    public Set<String> projectsWithWrapperEnabled(long wrapperId) {
        return read(() -> {
            Set<String> out = new LinkedHashSet<>();
            projectEnabledWrappers.forEach((p, ws) -> {
                if (ws.contains(wrapperId)) {
                    out.add(p);
                }
            });
            return Set.copyOf(out);
        });
    }

    /** All commands in registration order. */
    public List<Command> commands() {
        return read(() -> List.copyOf(commands.values()));
    }

    public Optional<Command> command(long id) {
        return read(() -> Optional.ofNullable(commands.get(id)));
    }

    /** The command owning the wrapper id. */
    public Optional<Command> commandOfWrapper(long wrapperId) {
        return read(() -> {
            Long c = commandOfWrapper.get(wrapperId);
            return Optional.ofNullable(c == null ? null : commands.get(c));
        });
    }

    public Optional<Wrapper> wrapper(long wrapperId) {
        return commandOfWrapper(wrapperId).flatMap(c -> c.wrappers().stream().filter(w -> w.id() == wrapperId)
                .findFirst());
    }

    public void setWrapperEnabledForSite(long wrapperId, boolean enabled) {
        writeRun(() -> {
            if (enabled) {
                siteEnabledWrappers.add(wrapperId);
            } else {
                siteEnabledWrappers.remove(wrapperId);
            }
        });
    }

    public boolean isWrapperEnabledForSite(long wrapperId) {
        return read(() -> siteEnabledWrappers.contains(wrapperId));
    }

    public void setWrapperEnabledForProject(String projectId, long wrapperId, boolean enabled) {
        writeRun(() -> {
            if (enabled) {
                projectEnabledWrappers.computeIfAbsent(projectId, k -> new HashSet<>()).add(wrapperId);
            } else {
                Set<Long> s = projectEnabledWrappers.get(projectId);
                if (s != null) {
                    s.remove(wrapperId);
                }
            }
        });
    }

    /** Project-level enablement flag only (the site-level flag is separate). */
    public boolean isWrapperEnabledForProject(String projectId, long wrapperId) {
        return read(() -> projectEnabledWrappers.getOrDefault(projectId, Set.of()).contains(wrapperId));
    }

    /** Wrapper ids enabled at project level for the project (regardless of the site-level flag). */
    public Set<Long> enabledWrappersForProject(String projectId) {
        return read(() -> Set.copyOf(projectEnabledWrappers.getOrDefault(projectId, Set.of())));
    }

    /** XNAT's rule: usable in a project only if enabled site-wide AND for the project. */
    public boolean isWrapperUsableInProject(String projectId, long wrapperId) {
        return read(() -> siteEnabledWrappers.contains(wrapperId)
                && projectEnabledWrappers.getOrDefault(projectId, Set.of()).contains(wrapperId));
    }

    // ------------------------------------------------------------------ event service

    public boolean eventServiceEnabled() {
        return read(() -> eventServiceEnabled);
    }

    public void setEventServiceEnabled(boolean on) {
        writeRun(() -> eventServiceEnabled = on);
    }

    /** Stores a subscription, assigning a fresh id (the argument's id is ignored). */
    public Subscription addSubscription(Subscription s) {
        return write(() -> {
            Subscription stored = s.withId(++subscriptionCounter);
            subscriptions.put(stored.id(), stored);
            return stored;
        });
    }

    /** All subscriptions (snapshot, creation order). */
    public List<Subscription> subscriptions() {
        return read(() -> List.copyOf(subscriptions.values()));
    }

    /** Subscriptions whose project-ids contain the project (site-wide ones excluded). */
    public List<Subscription> subscriptionsForProject(String projectId) {
        return read(() -> subscriptions.values().stream().filter(s -> s.projectIds().contains(projectId)).toList());
    }

    /**
     * What XNAT lists under {@code GET /xapi/projects/{p}/events/subscriptions}: the project's subscriptions and every
     * site-wide one (no project ids), as {@code EventSubscriptionEntityServiceImpl.getSubscriptions(projectId)} does.
     */
    public List<Subscription> subscriptionsListedForProject(String projectId) {
        return read(() -> subscriptions.values().stream()
                .filter(s -> s.isSiteWide() || s.projectIds().contains(projectId)).toList());
    }

    public Optional<Subscription> subscription(long id) {
        return read(() -> Optional.ofNullable(subscriptions.get(id)));
    }

    public boolean setSubscriptionActive(long id, boolean active) {
        return write(() -> {
            Subscription s = subscriptions.get(id);
            if (s == null) {
                return false;
            }
            subscriptions.put(id, s.withActive(active));
            return true;
        });
    }

    public boolean deleteSubscription(long id) {
        return write(() -> subscriptions.remove(id) != null);
    }

    // ------------------------------------------------------------------ DQR queue

    /** Queues a DQR import request (status QUEUED, priority 10, PACS 1). */
    public QueuedRequest queueDqrRequest(String username, String projectId, String studyInstanceUid) {
        return queueDqrRequest(new QueuedRequest(0, username, projectId, studyInstanceUid, null, 1, "XNAT",
                "QUEUED", 10, System.currentTimeMillis()));
    }

    /** Stores a queued request, assigning a fresh id. */
    public QueuedRequest queueDqrRequest(QueuedRequest r) {
        return write(() -> {
            QueuedRequest stored = r.withId(++queueCounter);
            queue.put(stored.id(), stored);
            return stored;
        });
    }

    /** All queued requests in id order. */
    public List<QueuedRequest> queuedRequests() {
        return read(() -> List.copyOf(queue.values()));
    }

    public Optional<QueuedRequest> queuedRequest(long id) {
        return read(() -> Optional.ofNullable(queue.get(id)));
    }

    public boolean deleteQueuedRequest(long id) {
        return write(() -> queue.remove(id) != null);
    }

    // ------------------------------------------------------------------ misc

    /** {@code prefix} + zero-padded number (cheaper than String.format on bulk paths). */
    static String pad(String prefix, long n, int width) {
        String digits = Long.toString(n);
        StringBuilder sb = new StringBuilder(prefix.length() + Math.max(width, digits.length())).append(prefix);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    /** Number of users (cheap; {@link #users()} sorts a copy). */
    public int userCount() {
        return read(users::size);
    }

    long nextCreateEventId() {
        return write(() -> ++createEventCounter);
    }

    /** Internal: unlocked reads for hot listing paths; callers must hold {@link #readLocked}. */
    <T> T readLocked(Supplier<T> s) {
        return read(s);
    }

    Collection<Project> projectsUnlocked() {
        return projects.values();
    }

    Project findProjectUnlocked(String idOrAlias) {
        return findProject(idOrAlias);
    }

    List<Project> lookupUnlocked(String field, String value) {
        return switch (field) {
            case "ID" -> {
                Project p = projects.get(value);
                yield p == null ? List.of() : List.of(p);
            }
            case "secondary_ID" -> lookup(bySecondaryId, value);
            case "name" -> lookup(byName, value);
            default -> null;
        };
    }

    Set<String> projectsOfUserUnlocked(String username) {
        return projectsOfUser.getOrDefault(username, Set.of());
    }

    Collection<Experiment> experimentsUnlocked() {
        return experiments.values();
    }

    Collection<Experiment> experimentsOfProjectUnlocked(String projectId) {
        LinkedHashMap<String, Experiment> m = experimentsByProject.get(projectId);
        return m == null ? List.of() : m.values();
    }

    Map<String, ProjectGroup> membersUnlocked(String projectId) {
        LinkedHashMap<String, ProjectGroup> m = members.get(projectId);
        return m == null ? Map.of() : m;
    }

    User userUnlocked(String username) {
        return users.get(username);
    }
}
