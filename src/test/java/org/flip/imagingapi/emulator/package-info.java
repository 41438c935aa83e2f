/**
 * A stateful, in-memory XNAT emulator for tests and benchmarks ({@link org.flip.imagingapi.emulator.XnatEmulator}).
 *
 * <p>It follows {@code /work/shared/docs/xnat-rest-behaviour.md} (quirks included): string-only ResultSet
 * listings with {@code ""} for nulls and a string {@code totalRecords}; item JSON only with {@code format=json}
 * (HTML otherwise) and nulls absent; Restlet HTML status pages for {@code /data} errors, Tomcat's HTML page for
 * 401s, text or empty bodies on {@code /xapi}; 200 + URL text for {@code POST /data/projects}; 400 for DELETE and
 * prearchive PUT of unknown projects; membership group resolution by id, suffix and display name; 304 for an
 * unchanged user; 500 for {@code GET /xapi/users/{unknown}}; 201 {@code name:id} text for subscriptions with
 * duplicate names allowed; 424 when the action's wrapper is not enabled site-wide and for the project; DQR queue
 * per user unless {@code all=true} and partial bulk deletes answering 404; the project-scoped experiment listing
 * hiding {@code xnat:dxSessionData}; experiment lookup by ID anywhere before label-in-project; shortcut filters on
 * {@code /data/projects} honoured only for ALL_DATA_ADMIN members.
 *
 * <p>Real-XNAT behaviours a test switches on (issue 13; each read in XNAT's source, see the emulator's tests):
 * <ul>
 *   <li>Password expiry ({@code XnatExpiredPasswordFilter}): {@code XnatEmulator.setPasswordExpired} makes every
 *       request of the account, the login included, a 302 to {@code XDATScreen_UpdateUser.vm} that still opens a
 *       session ({@code sessionsOpened(user)} counts them until the session cap turns them into 401s); the role
 *       {@code non_expiring} exempts the account.</li>
 *   <li>A project delete that does not delete: after {@code seedSubjectWithAnotherProjectsExperiment} the DELETE
 *       answers 200, removes the project's own experiments and free subjects, and keeps the project.</li>
 *   <li>Event service disabled ({@code setEventServiceEnabled(false)} or {@code PUT /xapi/events/prefs}): the
 *       project listing is a 500 "There was an error in the request : null"; create (after its 401 checks),
 *       get-one, activate, deactivate and delete are 405 "There was an error in the request : Event Service
 *       disabled." (the controller advice's rendering).</li>
 *   <li>Site-wide subscriptions ({@code seedSiteWideSubscription}) are listed under every project; acting on one
 *       through a project route is 401 "... for project(s): Site"; reading one is allowed. Others' subscriptions:
 *       {@code seedProjectSubscription}.</li>
 *   <li>Commands: no role check on {@code GET /xapi/commands[/{id}]}; without the (exact) ContainerManager role a
 *       private command ({@code state().setCommandVisibility}) is hidden unless enabled in a readable project.</li>
 *   <li>DQR API generations and no DQR: {@code setDqrGeneration}.</li>
 * </ul>
 *
 * <p>Choices where the document is silent or uncertain (documented so tests do not over-fit):
 * <ul>
 *   <li>{@link org.flip.imagingapi.emulator.XnatEmulator#start()} has the built-in {@code guest} user (enabled, no
 *       e-mail) besides the service account, and the event service <b>enabled</b> (XNAT's default is off; call
 *       {@code setEventServiceEnabled(false)} for its 500 listing and 405s).</li>
 *   <li>Username uniqueness on {@code POST /xapi/users} is exact (case-sensitive).</li>
 *   <li>{@code /data/JSESSION} without credentials answers 401 (real XNAT would hand out a guest session).</li>
 *   <li>{@code POST /data/projects} only checks the exact ID (409); the case-insensitive cross-field and
 *       deleted-ID checks are applied on {@code PUT /data/projects/{p}} only, as the document's source reading
 *       says.</li>
 *   <li>Subscription {@code project-ids} missing, empty or not containing the path project, or naming a project
 *       the caller does not own: 401 "Unauthorized.\n&lt;user&gt; not authorized to modify subscriptions for
 *       project(s): Site|&lt;ids&gt;"; caller not owner of the path project: 403 empty (the aspect, first).</li>
 *   <li>The JsonPath "must compile" check is approximated: leading {@code $}, {@code $[?}, or unbalanced
 *       brackets/quotes fail with 424.</li>
 *   <li>Protected projects are listed (and GET-able) for every logged-in user; their subjects/experiments need
 *       membership (403 on project-scoped listings, rows filtered out of {@code /data/experiments}).</li>
 *   <li>Not modelled: prearchive, file upload/download, sharing, the "filtered" project-listing handler
 *       ({@code accessible}/{@code owner}/... parameters are ignored), date/number range filters, site-level
 *       subscription endpoints, DQR history/status, uninitialised-site behaviour, CSRF, password expiry on open
 *       URLs called with credentials.</li>
 * </ul>
 *
 * <p>Client note: the JDK {@code HttpClient} silently retries a GET once when the connection drops before any
 * response, so a {@code Fault.dropConnection().times(1)} on a GET is usually invisible to it (use
 * {@code times(2)} or a POST). Reactor Netty can do the same for idempotent requests.
 */
package org.flip.imagingapi.emulator;
