"""The Stripe resources the sandbox emulates, one module each: parameter specs, handlers, ROUTES."""
