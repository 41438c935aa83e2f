package org.flip.imagingapi.emulator;

/**
 * Operation names used by {@link XnatEmulator#calls(String)}, {@link XnatEmulator#inject(String, Fault)} and
 * {@link XnatEmulator#callCounts()}: {@code "<METHOD> <path template>"}.
 */
public final class XnatOps {
    private XnatOps() {
    }

    /** Requests that matched no route (404/405). */
    public static final String UNKNOWN = "UNKNOWN";

    public static final String LOGIN = "POST /data/JSESSION";
    public static final String LOGIN_GET = "GET /data/JSESSION";
    public static final String LOGOUT = "DELETE /data/JSESSION";
    public static final String BUILD_INFO = "GET /xapi/siteConfig/buildInfo";
    public static final String BUILD_INFO_VERSION = "GET /xapi/siteConfig/buildInfo/version";
    public static final String LOGIN_PAGE = "GET /app/template/Login.vm";

    public static final String LIST_PROJECTS = "GET /data/projects";
    public static final String CREATE_PROJECT = "POST /data/projects";
    public static final String GET_PROJECT = "GET /data/projects/{p}";
    public static final String PUT_PROJECT = "PUT /data/projects/{p}";
    public static final String SET_PREARCHIVE_CODE = "PUT /data/projects/{p}/prearchive_code/{code}";
    public static final String GET_PREARCHIVE_CODE = "GET /data/projects/{p}/prearchive_code";
    public static final String DELETE_PROJECT = "DELETE /data/projects/{p}";
    public static final String LIST_SUBJECTS = "GET /data/projects/{p}/subjects";
    public static final String LIST_PROJECT_EXPERIMENTS = "GET /data/projects/{p}/experiments";
    public static final String GET_PROJECT_EXPERIMENT = "GET /data/projects/{p}/experiments/{e}";
    public static final String LIST_EXPERIMENTS = "GET /data/experiments";
    public static final String GET_EXPERIMENT = "GET /data/experiments/{e}";
    public static final String LIST_PROJECT_USERS = "GET /data/projects/{p}/users";
    public static final String ADD_PROJECT_USER = "PUT /data/projects/{p}/users/{g}/{u}";
    public static final String REMOVE_PROJECT_USER = "DELETE /data/projects/{p}/users/{g}/{u}";

    public static final String ISSUE_TOKEN_FOR_USER = "GET /data/services/tokens/issue/user/{u}";
    public static final String ISSUE_TOKEN = "GET /data/services/tokens/issue";
    public static final String VALIDATE_TOKEN = "GET /data/services/tokens/validate/{alias}/{secret}";
    /** {@code AliasTokenRestlet} "show": the user's live tokens ({@code findTokensForUser}). */
    public static final String SHOW_TOKENS_FOR_USER = "GET /data/services/tokens/show/user/{u}";
    /** {@code AliasTokenRestlet} "invalidate": deletes the token ({@code invalidateToken}). */
    public static final String INVALIDATE_TOKEN = "GET /data/services/tokens/invalidate/{alias}";

    public static final String LIST_USERNAMES = "GET /xapi/users";
    public static final String LIST_USER_PROFILES = "GET /xapi/users/profiles";
    public static final String GET_USER_PROFILE = "GET /xapi/users/profile/{u}";
    public static final String GET_USER = "GET /xapi/users/{u}";
    public static final String CREATE_USER = "POST /xapi/users";
    public static final String UPDATE_USER = "PUT /xapi/users/{u}";
    public static final String SET_USER_ENABLED = "PUT /xapi/users/{u}/enabled/{flag}";
    public static final String SET_USER_VERIFIED = "PUT /xapi/users/{u}/verified/{flag}";
    public static final String GET_USER_ROLES = "GET /xapi/users/{u}/roles";
    public static final String ADD_USER_ROLE = "PUT /xapi/users/{u}/roles/{role}";
    public static final String REMOVE_USER_ROLE = "DELETE /xapi/users/{u}/roles/{role}";
    /** {@code UsersApi.getUsersWithRole}: the usernames holding one role. */
    public static final String LIST_USERS_WITH_ROLE = "GET /xapi/users/roles/{role}";

    public static final String LIST_COMMANDS = "GET /xapi/commands";
    public static final String GET_COMMAND = "GET /xapi/commands/{id}";
    public static final String CREATE_COMMAND = "POST /xapi/commands";
    public static final String ENABLE_WRAPPER_FOR_SITE = "PUT /xapi/commands/{id}/wrappers/{w}/enabled";
    public static final String DISABLE_WRAPPER_FOR_SITE = "PUT /xapi/commands/{id}/wrappers/{w}/disabled";
    public static final String GET_WRAPPER_SITE_ENABLED = "GET /xapi/commands/{id}/wrappers/{w}/enabled";
    public static final String ENABLE_WRAPPER_FOR_PROJECT = "PUT /xapi/projects/{p}/commands/{id}/wrappers/{w}/enabled";
    public static final String DISABLE_WRAPPER_FOR_PROJECT =
            "PUT /xapi/projects/{p}/commands/{id}/wrappers/{w}/disabled";
    public static final String ENABLE_WRAPPER_FOR_PROJECT_BY_ID = "PUT /xapi/projects/{p}/wrappers/{w}/enabled";
    public static final String GET_WRAPPER_PROJECT_ENABLED =
            "GET /xapi/projects/{p}/commands/{id}/wrappers/{w}/enabled";

    public static final String GET_EVENT_PREFS = "GET /xapi/events/prefs";
    public static final String PUT_EVENT_PREFS = "PUT /xapi/events/prefs";
    public static final String LIST_SUBSCRIPTIONS = "GET /xapi/projects/{p}/events/subscriptions";
    public static final String CREATE_SUBSCRIPTION = "POST /xapi/projects/{p}/events/subscription";
    public static final String GET_SUBSCRIPTION = "GET /xapi/projects/{p}/events/subscription/{id}";
    public static final String ACTIVATE_SUBSCRIPTION = "POST /xapi/projects/{p}/events/subscription/{id}/activate";
    public static final String DEACTIVATE_SUBSCRIPTION =
            "POST /xapi/projects/{p}/events/subscription/{id}/deactivate";
    public static final String DELETE_SUBSCRIPTION = "DELETE /xapi/projects/{p}/events/subscription/{id}";

    public static final String DQR_IMPORT = "POST /xapi/dqr/import";
    public static final String DQR_LIST_QUEUE = "GET /xapi/dqr/import/queue";
    public static final String DQR_DELETE_QUEUED = "POST /xapi/dqr/import/queue";
    public static final String DQR_DELETE_QUEUED_ONE = "DELETE /xapi/dqr/import/queue/{id}";
    public static final String DQR_COUNT_QUEUE = "GET /xapi/dqr/import/queue/count";
    public static final String DQR_GET_QUEUED = "GET /xapi/dqr/import/queue/{id}";

    /** The 2020 build between ({@link DqrGeneration#QUERY_QUEUE}). */
    public static final String DQR_QUERY_QUEUE = "GET /xapi/dqr/query/queue";
    public static final String DQR_QUERY_QUEUE_COUNT = "GET /xapi/dqr/query/queue/count";
    public static final String DQR_QUERY_QUEUE_DELETE = "POST /xapi/dqr/query/queue";
    public static final String DQR_QUERY_QUEUED = "GET /xapi/dqr/query/queue/{id}";
    public static final String DQR_QUERY_QUEUED_DELETE = "DELETE /xapi/dqr/query/queue/{id}";

    /** The oldest build ({@link DqrGeneration#QUERY_QUEUE_ALL}). */
    public static final String DQR_QUEUE_ALL = "GET /xapi/dqr/query/queue/all";
    public static final String DQR_QUEUE_ALL_PAGED = "GET /xapi/dqr/query/queue/all/paged";
    public static final String DQR_QUEUE_ALL_COUNT = "GET /xapi/dqr/query/queue/all/count";
    public static final String DQR_QUEUE_USER = "GET /xapi/dqr/query/queue/user";
    public static final String DQR_QUEUE_USER_PAGED = "GET /xapi/dqr/query/queue/user/paged";
    public static final String DQR_QUEUE_REQUEST = "GET /xapi/dqr/query/queue/request/{id}";
    public static final String DQR_QUEUE_REQUEST_DELETE = "DELETE /xapi/dqr/query/queue/request/{id}";
    public static final String DQR_QUEUE_DELETE_REQUESTS = "POST /xapi/dqr/query/queue/deleteRequests";
}
