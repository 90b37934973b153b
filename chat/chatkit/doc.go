// Package chatkit holds the small pieces every chat adapter needs in the
// same shape: a size-bounded memory, and the record of where each case card
// was posted so that it is updated in place, across restarts too.
package chatkit
