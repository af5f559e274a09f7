/**
 * What every page shares: the landing redirect, the error pages an API refusal becomes, paging,
 * and the bounded wait for the read side after a change. Stateless and thread safe.
 */
package dev.keyledger.portal.web;
