package org.flip.imagingapi.user;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.flip.imagingapi.model.User;
import org.flip.imagingapi.web.CallerDeadline;
import org.flip.imagingapi.web.ProjectId;
import org.flip.imagingapi.web.Username;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

@RestController
@Tag(name = "users")
class UserController {

    static final String ROLE = "^(Owners|Members|Collaborators)$";

    private final UserAccounts accounts;
    private final UserProvisioning provisioning;
    private final CallerDeadline deadline;

    UserController(UserAccounts accounts, UserProvisioning provisioning, CallerDeadline deadline) {
        this.accounts = accounts;
        this.provisioning = provisioning;
        this.deadline = deadline;
    }

    @GetMapping(path = "/users", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listUsers", summary = "List every XNAT account")
    List<User> list() {
        return accounts.list();
    }

    @GetMapping(path = "/users/{username}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getUser", summary = "One XNAT account")
    @ApiResponse(responseCode = "200", description = "The account")
    @ApiResponse(responseCode = "404", description = "No account with this username")
    User get(@PathVariable @Username String username) {
        return accounts.get(username);
    }

    @PostMapping(path = "/users", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createUser", summary = "Create an XNAT account (409 when the username is taken)")
    @ApiResponse(responseCode = "201", description = "Created; Location names the new account")
    @ApiResponse(responseCode = "409", description = "The username is taken")
    ResponseEntity<User> create(@Valid @RequestBody CreateUserRequest request) {
        User user = accounts.create(request);
        URI location = UriComponentsBuilder.fromPath("/users/{username}").buildAndExpand(user.username()).encode()
                .toUri();
        return ResponseEntity.created(location).body(user);
    }

    @PutMapping(path = "/users", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "updateUser",
            summary = "Set the enabled flag of the account with this e-mail (the hub's profile update)")
    @ApiResponse(responseCode = "200", description = "The updated account")
    @ApiResponse(responseCode = "403", description = "The e-mail belongs to the service account or an XNAT "
            + "Administrator (privileged_account): this API never enables or disables such an account")
    @ApiResponse(responseCode = "404", description = "No account has this e-mail")
    User update(@Valid @RequestBody UpdateUserRequest request) {
        return accounts.updateByEmail(request);
    }

    @PutMapping(path = "/users/add-to-project/{username}/{projectId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "addUserToProject",
            summary = "Put an account into a project's Owners, Members or Collaborators (moving it from another)")
    @ApiResponse(responseCode = "200", description = "The account, now in the group")
    @ApiResponse(responseCode = "404", description = "No such account or no such project")
    User addToProject(@PathVariable @Username String username, @PathVariable @ProjectId String projectId,
            @Parameter(description = "The project group", example = "Members") @RequestParam(defaultValue = "Members")
            @Pattern(regexp = ROLE, message = "must be one of Owners, Members, Collaborators") String role) {
        return accounts.addToProject(username, projectId, role);
    }

    @PostMapping(path = "/projects/{projectId}/users", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.OK)
    @Operation(operationId = "provisionProjectUsers", summary = "Give hub users XNAT accounts in the project's "
            + "Members group, with invitations (the provisioning step on its own)")
    @ApiResponse(responseCode = "200", description = "created_users (with their encrypted set-up paths), "
            + "added_users (every account now in Members) and skipped_users (hub users whose e-mail belongs to the "
            + "service account or an XNAT Administrator)")
    ProvisionedUsers provision(@PathVariable @ProjectId String projectId,
            @Valid @RequestBody ProjectUsersRequest request) {
        // One run per project and list of users: the same request sent again while the first one's run
        // goes on in the background (past the deadline) waits for that run instead of racing it, which
        // would make each revoke the invitation the other just issued. Other lists run on their own.
        return deadline.run("users:" + projectId + ":" + usersKey(request.users()), "user provisioning",
                () -> provisioning.provision(projectId, request.users()), () -> new CallerDeadline.Late(
                        "provisioning_deadline", "Provisioning the users of project '" + projectId
                                + "' did not finish within " + deadline.deadline().toSeconds() + " s because XNAT is "
                                + "slow; it carries on in the background. Sending the same request again completes it."));
    }

    /** The same list of hub users, in the same order, gives the same key; an e-mail differing in case does too. */
    static UUID usersKey(List<CentralHubUser> users) {
        StringBuilder canonical = new StringBuilder();
        for (CentralHubUser user : users) {
            canonical.append(user.id()).append('|')
                    .append(user.email() == null ? "" : user.email().toLowerCase(Locale.ROOT)).append('|')
                    .append(Boolean.TRUE.equals(user.isDisabled())).append('\n');
        }
        return UUID.nameUUIDFromBytes(canonical.toString().getBytes(StandardCharsets.UTF_8));
    }
}
