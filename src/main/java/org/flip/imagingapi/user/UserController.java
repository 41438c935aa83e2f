package org.flip.imagingapi.user;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import org.flip.imagingapi.web.Identifiers;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
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
@Validated
@Tag(name = "users", description = "XNAT accounts for hub users, and project membership")
class UserController {

    static final String ROLE = "^(Owners|Members|Collaborators)$";

    private final UserAccounts accounts;
    private final UserProvisioning provisioning;

    UserController(UserAccounts accounts, UserProvisioning provisioning) {
        this.accounts = accounts;
        this.provisioning = provisioning;
    }

    @GetMapping(path = {"/users", "/users/"}, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List every XNAT account")
    List<User> list() {
        return accounts.list();
    }

    @GetMapping(path = "/users/{username}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One XNAT account")
    User get(@PathVariable @Pattern(regexp = Identifiers.USERNAME, message = Identifiers.USERNAME_MESSAGE)
            String username) {
        return accounts.get(username);
    }

    @PostMapping(path = {"/users", "/users/"}, consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create an XNAT account (409 when the username is taken)")
    ResponseEntity<User> create(@Valid @RequestBody CreateUserRequest request) {
        User user = accounts.create(request);
        URI location = UriComponentsBuilder.fromPath("/users/{username}").buildAndExpand(user.username()).encode()
                .toUri();
        return ResponseEntity.created(location).body(user);
    }

    @PutMapping(path = {"/users", "/users/"}, consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Set the e-mail and enabled flag of the account with this e-mail (the hub's profile update)")
    User update(@Valid @RequestBody UpdateUserRequest request) {
        return accounts.updateByEmail(request);
    }

    @PutMapping(path = "/users/add-to-project/{username}/{projectId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Put an account into a project's Owners, Members or Collaborators (moving it from another)")
    User addToProject(
            @PathVariable @Pattern(regexp = Identifiers.USERNAME, message = Identifiers.USERNAME_MESSAGE)
            String username,
            @PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId,
            @RequestParam(defaultValue = "Members")
            @Pattern(regexp = ROLE, message = "must be one of Owners, Members, Collaborators") String role) {
        return accounts.addToProject(username, projectId, role);
    }

    @PostMapping(path = "/projects/{projectId}/users", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.OK)
    @Operation(summary = "Give hub users XNAT accounts in the project's Members group, with invitations "
            + "(the provisioning step on its own)")
    ProvisionedUsers provision(
            @PathVariable @Pattern(regexp = Identifiers.PROJECT_ID, message = Identifiers.PROJECT_ID_MESSAGE)
            String projectId,
            @Valid @RequestBody ProjectUsersRequest request) {
        return provisioning.provision(projectId, request.users());
    }
}
