package exec

// SetWindowForceGeneric makes window aggregates take the generic strategy
// (every frame fed to its own group), so tests can check the fast
// strategies against it; the result restores the default.
func SetWindowForceGeneric(on bool) (restore func()) {
	old := windowForceGeneric
	windowForceGeneric = on
	return func() { windowForceGeneric = old }
}
