package dev.keyledger.portal.incident;

import dev.keyledger.portal.api.ApiException;
import dev.keyledger.portal.api.CommandApi;
import dev.keyledger.portal.api.Models.CursorList;
import dev.keyledger.portal.api.Models.Database;
import dev.keyledger.portal.api.Models.KeyView;
import dev.keyledger.portal.api.QueryApi;
import dev.keyledger.portal.security.PortalUser;
import dev.keyledger.portal.web.ReadYourWrites;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The confirmation dialogs and their submissions: {@code Suspend organization} and {@code Reactivate
 * organization} (platform admins), {@code Revoke all keys} (the organization's admins and platform
 * admins; the dialog names how many keys it will revoke) and {@code Delete database} (the dialog
 * names the database and how many public keys go with it).
 */
@Controller
class IncidentController {

    private static final int PAGE = 1000;

    private final CommandApi commands;
    private final QueryApi queries;
    private final ReadYourWrites readYourWrites;

    IncidentController(CommandApi commands, QueryApi queries, ReadYourWrites readYourWrites) {
        this.commands = commands;
        this.queries = queries;
        this.readYourWrites = readYourWrites;
    }

    @GetMapping("/organizations/{org}/suspend")
    String suspendDialog(@PathVariable String org, @ModelAttribute("user") PortalUser user, Model model) {
        requirePlatformAdmin(user);
        model.addAttribute("org", org);
        model.addAttribute("organization", queries.organization(org));
        return "suspend";
    }

    @PostMapping("/organizations/{org}/suspend")
    String suspend(
            @PathVariable String org,
            @RequestParam(defaultValue = "") String reason,
            @ModelAttribute("user") PortalUser user,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        requirePlatformAdmin(user);
        try {
            commands.suspend(org, reason);
        } catch (ApiException refusal) {
            if (refusal.status() != 400) {
                throw refusal;
            }
            response.setStatus(400);
            model.addAttribute("org", org);
            model.addAttribute("organization", queries.organization(org));
            model.addAttribute("reason", reason);
            model.addAttribute("error", refusal.describe());
            return "suspend";
        }
        readYourWrites.await(() -> queries.organization(org).suspended());
        redirect.addFlashAttribute(
                "notice", "Organization suspended. Every key of it is refused until it is reactivated.");
        return "redirect:/organizations/" + org;
    }

    @GetMapping("/organizations/{org}/reactivate")
    String reactivateDialog(@PathVariable String org, @ModelAttribute("user") PortalUser user, Model model) {
        requirePlatformAdmin(user);
        model.addAttribute("org", org);
        model.addAttribute("organization", queries.organization(org));
        return "reactivate";
    }

    @PostMapping("/organizations/{org}/reactivate")
    String reactivate(@PathVariable String org, @ModelAttribute("user") PortalUser user, RedirectAttributes redirect) {
        requirePlatformAdmin(user);
        commands.reactivate(org);
        readYourWrites.await(() -> !queries.organization(org).suspended());
        redirect.addFlashAttribute("notice", "Organization reactivated. Its valid keys work again.");
        return "redirect:/organizations/" + org;
    }

    @GetMapping("/organizations/{org}/api-keys/revoke-all")
    String revokeAllDialog(@PathVariable String org, @ModelAttribute("user") PortalUser user, Model model) {
        requireManager(user, org);
        model.addAttribute("org", org);
        model.addAttribute("count", activeKeys(org, null));
        return "revoke-all";
    }

    @PostMapping("/organizations/{org}/api-keys/revoke-all")
    String revokeAll(
            @PathVariable String org,
            @RequestParam(defaultValue = "") String reason,
            @ModelAttribute("user") PortalUser user,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        requireManager(user, org);
        int revoked;
        try {
            revoked = commands.revokeAll(org, reason, null);
        } catch (ApiException refusal) {
            if (refusal.status() != 400) {
                throw refusal;
            }
            response.setStatus(400);
            model.addAttribute("org", org);
            model.addAttribute("count", activeKeys(org, null));
            model.addAttribute("reason", reason);
            model.addAttribute("error", refusal.describe());
            return "revoke-all";
        }
        readYourWrites.await(() -> activeKeys(org, null) == 0);
        redirect.addFlashAttribute("notice", "Revoked " + revoked + (revoked == 1 ? " key." : " keys."));
        return "redirect:/organizations/" + org + "/api-keys";
    }

    @GetMapping("/organizations/{org}/databases/{db}/delete")
    String deleteDatabaseDialog(
            @PathVariable String org, @PathVariable String db, @ModelAttribute("user") PortalUser user, Model model) {
        requireManager(user, org);
        model.addAttribute("org", org);
        model.addAttribute("database", database(org, db));
        model.addAttribute("count", activeKeys(org, db));
        return "database-delete";
    }

    @PostMapping("/organizations/{org}/databases/{db}/delete")
    String deleteDatabase(
            @PathVariable String org,
            @PathVariable String db,
            @ModelAttribute("user") PortalUser user,
            RedirectAttributes redirect) {
        requireManager(user, org);
        Database database = database(org, db);
        commands.deleteDatabase(org, db);
        readYourWrites.await(() -> queries.databases(org).stream().noneMatch(d -> d.id().equals(db)));
        redirect.addFlashAttribute("notice", "Database " + database.name() + " deleted; its public keys are revoked.");
        return "redirect:/organizations/" + org + "/databases";
    }

    private Database database(String org, String db) {
        return queries.databases(org).stream()
                .filter(d -> d.id().equals(db))
                .findFirst()
                .orElseThrow(() -> new ApiException(404, "NOT_FOUND", "No such database", List.of()));
    }

    /** The organization's (or one database's) active keys, counted page by page. */
    private int activeKeys(String org, String databaseId) {
        int count = 0;
        String cursor = null;
        do {
            CursorList<KeyView> page = queries.keyPage(org, null, databaseId, "active", null, PAGE, cursor);
            count += page.data().size();
            cursor = page.nextCursor();
        } while (cursor != null);
        return count;
    }

    private static void requirePlatformAdmin(PortalUser user) {
        if (!user.platformAdmin()) {
            throw new ApiException(403, "INSUFFICIENT_PERMISSIONS", "Only a platform admin may do this", List.of());
        }
    }

    private static void requireManager(PortalUser user, String org) {
        if (!user.canManage(org) && !user.platformAdmin()) {
            throw new ApiException(403, "INSUFFICIENT_PERMISSIONS", "Only an org admin may change this", List.of());
        }
    }
}
