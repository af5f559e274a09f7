package dev.keyledger.portal.database;

import dev.keyledger.portal.PortalProperties;
import dev.keyledger.portal.api.ApiException;
import dev.keyledger.portal.api.CommandApi;
import dev.keyledger.portal.api.Models.CursorList;
import dev.keyledger.portal.api.Models.Database;
import dev.keyledger.portal.api.Models.KeyView;
import dev.keyledger.portal.api.QueryApi;
import dev.keyledger.portal.security.FormTokens;
import dev.keyledger.portal.security.PortalUser;
import dev.keyledger.portal.web.CursorPage;
import dev.keyledger.portal.web.ReadYourWrites;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The {@code Databases} page, a database's page with its {@code Widget Integration} section
 * (allowed origins, public keys, embed snippet), and the creation of databases and public keys.
 * Public keys are public by design, so after creating one the portal simply shows the database page
 * again, where the key stays visible.
 */
@Controller
@RequestMapping("/organizations/{org}/databases")
class DatabasesController {

    private final CommandApi commands;
    private final QueryApi queries;
    private final FormTokens formTokens;
    private final ReadYourWrites readYourWrites;
    private final PortalProperties properties;

    DatabasesController(
            CommandApi commands,
            QueryApi queries,
            FormTokens formTokens,
            ReadYourWrites readYourWrites,
            PortalProperties properties) {
        this.commands = commands;
        this.queries = queries;
        this.formTokens = formTokens;
        this.readYourWrites = readYourWrites;
        this.properties = properties;
    }

    @GetMapping
    String list(@PathVariable String org, @ModelAttribute("user") PortalUser user, Model model) {
        model.addAttribute("org", org);
        model.addAttribute(
                "databases",
                queries.databases(org).stream()
                        .sorted(Comparator.comparing(Database::name, String.CASE_INSENSITIVE_ORDER))
                        .toList());
        model.addAttribute("canManage", user.canManage(org));
        return "databases";
    }

    @GetMapping("/new")
    String createForm(@PathVariable String org, HttpSession session, Model model) {
        model.addAttribute("org", org);
        model.addAttribute("formToken", formTokens.issue(session));
        return "database-new";
    }

    @PostMapping
    String create(
            @PathVariable String org,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(name = "allowed_origins", defaultValue = "") String origins,
            @RequestParam(name = "form_token", required = false) String formToken,
            HttpSession session,
            HttpServletResponse response,
            Model model) {
        model.addAttribute("org", org);
        if (!formTokens.consume(session, formToken)) {
            response.setStatus(409);
            return "form-used";
        }
        Database created;
        try {
            created = commands.createDatabase(org, name, lines(origins), formToken);
        } catch (ApiException refusal) {
            if (refusal.status() != 400 && refusal.status() != 409) {
                throw refusal;
            }
            response.setStatus(400);
            model.addAttribute("name", name);
            model.addAttribute("origins", origins);
            model.addAttribute("error", refusal.describe());
            model.addAttribute("formToken", formTokens.issue(session));
            return "database-new";
        }
        readYourWrites.await(() -> find(org, created.id()).isPresent());
        return "redirect:/organizations/" + org + "/databases/" + created.id();
    }

    @GetMapping("/{db}")
    String database(
            @PathVariable String org,
            @PathVariable String db,
            @RequestParam(defaultValue = "1") int page,
            @RequestParam(required = false) String cursor,
            @ModelAttribute("user") PortalUser user,
            Model model) {
        Database database =
                find(org, db).orElseThrow(() -> new ApiException(404, "NOT_FOUND", "No such database", List.of()));
        String position = CursorPage.cursor(cursor);
        CursorList<KeyView> active;
        try {
            // One page of the database's active public keys, newest first.
            active = queries.keyPage(org, "public", db, "active", "-created_at", properties.pageSize(), position);
        } catch (ApiException refusal) {
            if (refusal.status() != 400 || position == null) {
                throw refusal;
            }
            return "redirect:/organizations/" + org + "/databases/" + db;
        }
        List<KeyView> keys = active.data();
        model.addAttribute("keysPage", CursorPage.of(keys, page, active.prevCursor(), active.nextCursor()));
        model.addAttribute("org", org);
        model.addAttribute("database", database);
        model.addAttribute("origins", String.join("\n", database.allowedOrigins()));
        model.addAttribute("keys", keys);
        model.addAttribute("edgeUrl", properties.edgeUrl().toString().replaceAll("/$", ""));
        model.addAttribute("canManage", user.canManage(org));
        return "database";
    }

    @PostMapping("/{db}/allowed-origins")
    String saveOrigins(
            @PathVariable String org,
            @PathVariable String db,
            @RequestParam(name = "allowed_origins", defaultValue = "") String origins,
            @ModelAttribute("user") PortalUser user,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        List<String> wanted = lines(origins);
        try {
            commands.changeAllowedOrigins(org, db, wanted);
        } catch (ApiException refusal) {
            if (refusal.status() != 400) {
                throw refusal;
            }
            database(org, db, 1, null, user, model);
            response.setStatus(400);
            model.addAttribute("origins", origins);
            model.addAttribute("originsError", refusal.describe());
            return "database";
        }
        readYourWrites.await(() -> find(org, db)
                .map(found -> found.allowedOrigins().equals(wanted))
                .orElse(false));
        redirect.addFlashAttribute("notice", "Allowed origins saved.");
        return "redirect:/organizations/" + org + "/databases/" + db;
    }

    @GetMapping("/{db}/api-keys/new")
    String createKeyForm(@PathVariable String org, @PathVariable String db, HttpSession session, Model model) {
        model.addAttribute("org", org);
        model.addAttribute(
                "database",
                find(org, db).orElseThrow(() -> new ApiException(404, "NOT_FOUND", "No such database", List.of())));
        model.addAttribute("formToken", formTokens.issue(session));
        return "public-key-new";
    }

    @PostMapping("/{db}/api-keys")
    String createKey(
            @PathVariable String org,
            @PathVariable String db,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(name = "form_token", required = false) String formToken,
            HttpSession session,
            HttpServletResponse response,
            Model model) {
        model.addAttribute("org", org);
        if (!formTokens.consume(session, formToken)) {
            response.setStatus(409);
            return "form-used";
        }
        String keyId;
        try {
            keyId = commands.createPublicKey(org, db, name, null, formToken).id();
        } catch (ApiException refusal) {
            if (refusal.status() != 400 && refusal.status() != 409) {
                throw refusal;
            }
            response.setStatus(400);
            model.addAttribute("database", find(org, db).orElse(null));
            model.addAttribute("name", name);
            model.addAttribute("error", refusal.describe());
            model.addAttribute("formToken", formTokens.issue(session));
            return "public-key-new";
        }
        // The newest key is on the first page of the newest first.
        readYourWrites.await(() -> queries.keyPage(org, "public", db, null, "-created_at", 10, null).data().stream()
                .anyMatch(key -> key.id().equals(keyId)));
        return "redirect:/organizations/" + org + "/databases/" + db;
    }

    private Optional<Database> find(String org, String db) {
        return queries.databases(org).stream()
                .filter(database -> database.id().equals(db))
                .findFirst();
    }

    /** One origin a line; blank lines and surrounding spaces do not count. */
    static List<String> lines(String text) {
        return Arrays.stream(text.split("\\R"))
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .toList();
    }
}
