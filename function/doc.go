// Package function is the function library: the registry, the scalar kernel
// and grouped-aggregate contracts, and the kernels themselves (one function
// family per file), all over Arrow arrays. Imports: types, arrow-go, the
// standard library and well-kept libraries for sketches and time zones.
package function
