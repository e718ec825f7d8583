package io.chokepoint.events.commodity;

/** One HS-6 commodity Chokepoint knows by name, with the group rules and routes select on. */
public record Commodity(String hsCode, String name, String group) {
}
