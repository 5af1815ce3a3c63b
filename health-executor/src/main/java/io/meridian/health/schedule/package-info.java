/**
 * Deciding which checks run where and when: each member runs the checks of the instances whose projection entries it
 * owns, on its own scheduler with jitter, and writes a status through the committed state only when damping says it
 * changed.
 */
package io.meridian.health.schedule;
