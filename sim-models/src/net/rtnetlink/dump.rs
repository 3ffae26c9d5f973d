//! Read-only dumps (`RTM_GETLINK`, `RTM_GETADDR`, `RTM_GETROUTE`, `RTM_GETNEIGH`, fdb, netconf):
//! plain structs copied out of the kernel's state, in the order the kernel dumps them.
