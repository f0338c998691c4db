"""Singapore: CPF contributions of platform workers under the Platform Workers Act 2024."""
