package io.photopipe.loadtest;
