package dev.keyledger.portal.organization;

import dev.keyledger.portal.api.ApiException;
import dev.keyledger.portal.api.CommandApi;
import dev.keyledger.portal.api.Models.Organization;
import dev.keyledger.portal.api.QueryApi;
import dev.keyledger.portal.security.FormTokens;
import dev.keyledger.portal.security.PortalUser;
import dev.keyledger.portal.web.ReadYourWrites;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Comparator;
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
 * The {@code Organization} page: plan and limits; for a platform admin also every organization, the
 * creation of one and the change of a plan.
 */
@Controller
class OrganizationController {

    static final List<String> PLANS = List.of("free", "starter", "pro", "enterprise");

    private final CommandApi commands;
    private final QueryApi queries;
    private final FormTokens formTokens;
    private final ReadYourWrites readYourWrites;

    OrganizationController(
            CommandApi commands, QueryApi queries, FormTokens formTokens, ReadYourWrites readYourWrites) {
        this.commands = commands;
        this.queries = queries;
        this.formTokens = formTokens;
        this.readYourWrites = readYourWrites;
    }

    /** The list of every organization; anyone else goes to their own organization. */
    @GetMapping("/organizations")
    String organizations(@ModelAttribute("user") PortalUser user, Model model) {
        if (!user.platformAdmin() && user.homeOrganization() != null) {
            return "redirect:/organizations/" + user.homeOrganization();
        }
        model.addAttribute("organizations", sorted(queries.organizations()));
        return "organizations";
    }

    @GetMapping("/organizations/new")
    String createForm(HttpSession session, Model model) {
        model.addAttribute("plans", PLANS);
        model.addAttribute("formToken", formTokens.issue(session));
        return "organization-new";
    }

    @PostMapping("/organizations")
    String create(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "free") String plan,
            @RequestParam(name = "form_token", required = false) String formToken,
            HttpSession session,
            HttpServletResponse response,
            Model model) {
        if (!formTokens.consume(session, formToken)) {
            response.setStatus(409);
            return "form-used";
        }
        Organization created;
        try {
            created = commands.createOrganization(name, plan, formToken);
        } catch (ApiException refusal) {
            if (refusal.status() != 400 && refusal.status() != 409) {
                throw refusal;
            }
            response.setStatus(400);
            model.addAttribute("plans", PLANS);
            model.addAttribute("name", name);
            model.addAttribute("error", refusal.describe());
            model.addAttribute("formToken", formTokens.issue(session));
            return "organization-new";
        }
        readYourWrites.await(() -> exists(created.id()));
        return "redirect:/organizations/" + created.id();
    }

    @GetMapping("/organizations/{org}")
    String organization(@PathVariable String org, @ModelAttribute("user") PortalUser user, Model model) {
        model.addAttribute("org", org);
        model.addAttribute("organization", queries.organization(org));
        model.addAttribute("plans", PLANS);
        if (user.platformAdmin()) {
            model.addAttribute("organizations", sorted(queries.organizations()));
        }
        return "organization";
    }

    @PostMapping("/organizations/{org}/plan")
    String changePlan(
            @PathVariable String org,
            @RequestParam(defaultValue = "free") String plan,
            @RequestParam(name = "requests_per_minute", defaultValue = "") String perMinute,
            @RequestParam(name = "requests_per_day", defaultValue = "") String perDay,
            @ModelAttribute("user") PortalUser user,
            HttpServletResponse response,
            RedirectAttributes redirect,
            Model model) {
        boolean custom = "enterprise".equals(plan);
        try {
            commands.changePlan(org, plan, custom ? number(perMinute) : null, custom ? number(perDay) : null);
        } catch (ApiException refusal) {
            if (refusal.status() != 400) {
                throw refusal;
            }
            organization(org, user, model);
            response.setStatus(400);
            model.addAttribute("error", refusal.describe());
            return "organization";
        }
        readYourWrites.await(() -> plan.equals(queries.organization(org).plan()));
        redirect.addFlashAttribute("notice", "Plan saved.");
        return "redirect:/organizations/" + org;
    }

    private boolean exists(String org) {
        try {
            queries.organization(org);
            return true;
        } catch (ApiException notYet) {
            return false;
        }
    }

    private static Long number(String text) {
        try {
            return text.isBlank() ? null : Long.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new ApiException(
                    400,
                    "VALIDATION_FAILED",
                    "Requests per minute and Requests per day must be whole numbers",
                    List.of());
        }
    }

    private static List<Organization> sorted(List<Organization> organizations) {
        return organizations.stream()
                .sorted(Comparator.comparing(Organization::name, String.CASE_INSENSITIVE_ORDER))
                .toList();
    }
}
